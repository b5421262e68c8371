using System.Threading.Channels;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A terminal protocol adapter that only the live-view tests register (<see cref="SessionMedium.Terminal"/>, under the name
/// "rdp", which the gateway does not speak yet: target names are checked against vnc, rdp and ssh): a user's session sends as terminal output (108) whatever the
/// test writes for that user (<see cref="Write(string, string)"/>), alternately whole and in two fragments as a real adapter may, notes every terminal
/// input (109) and resize (110) its browser sends, and ends when the test says (<see cref="End"/>).
/// </summary>
internal sealed class TerminalLiveFakeProtocol : IProtocolAdapter
{
    public const string EndMessage = "The test terminal's shell exited.";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Channel<byte[]?>> _output = new(StringComparer.Ordinal);

    public string Protocol => "rdp";

    public string DisplayName => "Fake terminal";

    public SessionMedium Medium => SessionMedium.Terminal;

    public IReadOnlySet<string> SessionKinds { get; } = new HashSet<string>([Sessions.SessionKinds.Rendered], StringComparer.Ordinal);

    /// <summary>The terminal input (109) the session received, in order (from its own browser only, if the view is read-only).</summary>
    public List<byte[]> Input { get; } = [];

    /// <summary>The resizes (110) the session received.</summary>
    public List<TerminalResizeMessage> Resizes { get; } = [];

    /// <summary>Sends this text as terminal output of <paramref name="user"/>'s session (queued until it runs).</summary>
    public void Write(string user, string text) => Output(user).Writer.TryWrite(System.Text.Encoding.UTF8.GetBytes(text));

    public void Write(string user, byte[] bytes) => Output(user).Writer.TryWrite(bytes);

    /// <summary>The remote program of <paramref name="user"/>'s session exits: 112, then the session ends.</summary>
    public void End(string user) => Output(user).Writer.TryWrite(null);

    private Channel<byte[]?> Output(string user) => _output.GetOrAdd(user, _ => Channel.CreateUnbounded<byte[]?>());

    public IRenderedSession CreateRendered(RenderedSessionContext context) => new Terminal(this, context);

    public ValueTask<IBrowserSession> CreateRelayAsync(RelaySessionContext context, CancellationToken ct) =>
        throw new NotSupportedException("the fake terminal offers no passthrough");

    private sealed class Terminal(TerminalLiveFakeProtocol protocol, RenderedSessionContext context) : IRenderedSession
    {
        public async Task RunAsync(ClientScreenSpecMessage initialScreen, RemoteResizeMode resizeMode, CancellationToken ct)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reader = ReadBrowserAsync(stop.Token);
            var fragmented = false;
            var output = protocol.Output(context.Live.UserName).Reader;
            while (true)
            {
                var next = output.ReadAsync(stop.Token).AsTask();
                if (await Task.WhenAny(next, reader) == reader)
                {
                    await reader; // the browser left: throws its reason
                }
                var bytes = await next;
                if (bytes is null)
                {
                    await context.Browser.SendAsync(new TerminalExitMessage(TerminalExitKind.Exited, 0, "", ""));
                    break;
                }
                for (var at = 0; at < bytes.Length; at += TdpLimits.MaxTerminalOutputBytes)
                {
                    var part = bytes.AsSpan(at, Math.Min(TdpLimits.MaxTerminalOutputBytes, bytes.Length - at)).ToArray();
                    if (fragmented)
                    {
                        var encoded = TdpCodec.Encode(new TerminalOutputMessage(part));
                        await context.Browser.SendFragmentedAsync(encoded.AsMemory(0, TerminalOutputMessage.HeaderSize), encoded.AsMemory(TerminalOutputMessage.HeaderSize));
                    }
                    else
                    {
                        await context.Browser.SendAsync(new TerminalOutputMessage(part));
                    }
                    fragmented = !fragmented;
                }
            }
            await stop.CancelAsync();
            throw new SessionFailure(SessionEndReason.TargetClosed, EndMessage);
        }

        private async Task ReadBrowserAsync(CancellationToken ct)
        {
            while (await context.Browser.ReceiveAsync(ct) is { } message)
            {
                switch (message)
                {
                    case TerminalInputMessage input:
                        lock (protocol.Input) protocol.Input.Add(input.Data);
                        break;
                    case TerminalResizeMessage resize:
                        lock (protocol.Resizes) protocol.Resizes.Add(resize);
                        break;
                }
            }
            throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser closed the session.");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
