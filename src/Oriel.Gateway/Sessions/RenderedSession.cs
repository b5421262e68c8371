using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Desktop;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The browser side of a rendered session, the same for every protocol: the browser's <see cref="TdpChannel"/> (seen
/// through the session's observers when there are any, <see cref="ObservedTdpBrowser"/>), the TDP handshake, then the
/// protocol's desktop (<see cref="IProtocolAdapter.CreateRendered"/>) until the session ends. Disposal follows the
/// order the close needs: the protocol's desktop first (it waits for its browser loop, which ends when the browser
/// answers the close), then the channel.
/// </summary>
internal sealed partial class RenderedSession : IBrowserSession
{
    private readonly SessionSetup _setup;
    private readonly TdpChannel _channel;
    private readonly ITdpBrowser _browser;
    private readonly CancellationTokenRegistration _cutOff;
    private IRenderedSession? _desktop;

    public RenderedSession(SessionSetup setup)
    {
        _setup = setup;
        _channel = new TdpChannel(setup.Socket, setup.Live, setup.Time, setup.Timeouts.BrowserCloseGrace);
        // Once the session is ended by the gateway, a browser that is not reading gets a few seconds, then is cut off.
        _cutOff = setup.Live.Terminated.Register(() => _channel.AbortSendsAfter(_channel.CloseGrace));
        _browser = setup.Observers.Count == 0 ? _channel : new ObservedTdpBrowser(_channel, setup.Observers);
    }

    /// <summary>The TDP handshake, then the protocol's desktop.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var live = _setup.Live;
        var handshake = await ReceiveHandshakeAsync(_browser, _setup.Timeouts.BrowserHandshake, _setup.Time, live.Id, _setup.Log, ct).ConfigureAwait(false);
        var audit = _setup.Audit;
        _desktop = _setup.Protocol.CreateRendered(new RenderedSessionContext(live, _setup.Decision.Target!, _setup.Decision.Permissions, _browser, _setup.Log,
            (id, direction, bytes) => _ = audit.WriteAsync(AuditEvents.ClipboardTransfer(live, direction, bytes), CancellationToken.None),
            _setup.Time, _setup.Timeouts, SurfaceOpened)
        {
            SecretInput = SecretInput,
        });
        await _desktop.RunAsync(handshake.ScreenSpec!, handshake.ResizeMode, ct).ConfigureAwait(false);
    }

    public Task CloseAsync(SessionEndReason reason, string userMessage) => _channel.CloseAsync(reason, userMessage);

    /// <summary>The protocol says whether the browser's input is secret now: every observer hears.</summary>
    private void SecretInput(bool active)
    {
        foreach (var observer in _setup.Observers)
        {
            observer.SecretInput(active);
        }
    }

    /// <summary>The protocol's desktop surface exists: every observer hears of it.</summary>
    private void SurfaceOpened(DesktopSurface surface, SessionGate gate)
    {
        foreach (var observer in _setup.Observers)
        {
            observer.SurfaceOpened(surface, gate);
        }
    }

    /// <summary>A rendered session's end is told by the common details and the protocol's own (<see cref="IRenderedSession.DescribeEnd"/>).</summary>
    public void DescribeEnd(JsonObject details) => _desktop?.DescribeEnd(details);

    /// <summary>
    /// RFD 37: username (7) then screen spec (1) come first; anything else before them is dropped, except Oriel's
    /// resize remote (107) between them, which says whether the desktop takes the browser's size as it opens
    /// (a TDP message rather than a URL parameter: the session's terms are all set in one handshake, which the
    /// sans-IO <see cref="TdpClientHandshake"/> checks and the shared vectors test, and the same message
    /// changes the choice later in the session). Returns the completed handshake. A browser that
    /// has not sent them within <paramref name="limit"/> gets a close frame saying so (the pending read is not
    /// cancelled, which would abort the socket: see <see cref="TdpChannel"/>).
    /// </summary>
    private static async Task<TdpClientHandshake> ReceiveHandshakeAsync(ITdpBrowser browser, TimeSpan limit, TimeProvider time, string sessionId, ILogger logger,
        CancellationToken ct)
    {
        using var timeout = new TimeLimit(limit, time, ct);
        var handshake = new TdpClientHandshake();
        while (true)
        {
            TdpMessage? message;
            try
            {
                message = await browser.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (DecodeException ex)
            {
                throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: the browser sent a message Oriel could not accept ({ex.Message}).", ex);
            }
            catch (OperationCanceledException ex) when (timeout.Expired && !ct.IsCancellationRequested)
            {
                Log.BrowserHandshakeTimedOut(logger, sessionId, limit.TotalSeconds);
                throw new SessionFailure(SessionEndReason.BrowserProtocolError,
                    $"The browser did not start the session within {SessionTimeouts.Describe(limit)} (no TDP handshake).", ex);
            }
            if (message is null)
            {
                throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser closed the session before it started.");
            }
            if (handshake.Accept(message) == TdpHandshakeResult.Ready)
            {
                return handshake;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_desktop is not null)
        {
            await _desktop.DisposeAsync().ConfigureAwait(false);
        }
        _cutOff.Dispose();
        _channel.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3152, Level = LogLevel.Warning, Message = "Session {SessionId}: the browser sent no TDP handshake within {Seconds} s")]
        public static partial void BrowserHandshakeTimedOut(ILogger logger, string sessionId, double seconds);
    }
}
