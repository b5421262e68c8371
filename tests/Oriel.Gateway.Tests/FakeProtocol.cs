using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A protocol adapter that only tests register: it shows that a protocol is added by registering its adapter, with
/// nothing in admission, the broker or the endpoints naming it. Its rendered desktop (<see cref="Desktop"/>) needs no
/// target: it draws the browser's size, answers one pointer move with a notification, then ends as a target would.
/// </summary>
internal sealed class FakeProtocol(string protocol, string displayName, params string[] kinds) : IProtocolAdapter
{
    /// <summary>What the fake desktop says when it ends.</summary>
    public const string EndMessage = "The test desktop ended the session.";

    public string Protocol => protocol;

    public string DisplayName => displayName;

    public IReadOnlySet<string> SessionKinds { get; } = new HashSet<string>(kinds, StringComparer.Ordinal);

    /// <summary>The contexts of the rendered sessions made, in order.</summary>
    public List<RenderedSessionContext> Rendered { get; } = [];

    public IRenderedSession CreateRendered(RenderedSessionContext context)
    {
        lock (Rendered)
        {
            Rendered.Add(context);
        }
        return new Desktop(context);
    }

    public ValueTask<IBrowserSession> CreateRelayAsync(RelaySessionContext context, CancellationToken ct) =>
        throw new NotSupportedException("the fake protocol offers no passthrough; admission must not ask for it");

    private sealed class Desktop(RenderedSessionContext context) : IRenderedSession
    {
        public async Task RunAsync(ClientScreenSpecMessage initialScreen, RemoteResizeMode resizeMode, CancellationToken ct)
        {
            await context.Browser.SendAsync(new DesktopSizeMessage(initialScreen.Width, initialScreen.Height));
            while (true)
            {
                var message = await context.Browser.ReceiveAsync(ct);
                if (message is null)
                {
                    throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser closed the session.");
                }
                if (message is MouseMoveMessage move)
                {
                    await context.Browser.SendAsync(new NotificationMessage($"pointer at {move.X},{move.Y}", Severity.Info));
                    throw new SessionFailure(SessionEndReason.TargetClosed, EndMessage);
                }
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
