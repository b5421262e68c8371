using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Rfb.Passthrough;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// One passthrough session: RFB between a stock viewer (noVNC) in WebSocket binary messages, as websockify
/// carries it, and the VNC target over TCP (TLS when VeNCrypt asks for it). The gateway keeps the target's
/// credentials: it first authenticates to the target itself with the stored ones (the RFB engine with
/// <see cref="Oriel.Rfb.RfbClientOptions.StopAfterSecurity"/>), then plays a None-security server handshake
/// to the viewer (<see cref="RfbNoneSecurityServerHandshake"/>), forwards the viewer's ClientInit, and from
/// ServerInit on relays with two pumps: browser → target (through <see cref="RfbClientStreamFilter"/>, which
/// drops encodings the gateway could not replay) and target → browser. The viewer's side (the synthetic
/// handshake, then the relayed stream, decrypted when the target uses TLS) is counted on the
/// <see cref="LiveSession"/> and recorded in the order the gateway saw it; the target login is not recorded.
/// The session ends when either side closes, when a browser message exceeds <see cref="MaxBrowserMessageBytes"/>,
/// or when the broker terminates it; <see cref="RunAsync"/> throws <see cref="SessionFailure"/> with the reason.
/// </summary>
public sealed partial class PassthroughRelay : IAsyncDisposable
{
    /// <summary>Largest WebSocket message from the browser. noVNC sends one RFB message or a few per WebSocket message; the largest is a clipboard.</summary>
    public const int MaxBrowserMessageBytes = 4 * 1024 * 1024;

    private const int ReadBufferSize = 64 * 1024;

    private readonly WebSocket _browser;
    private readonly LiveSession _live;
    private readonly ResolvedTarget _target;
    private readonly PassthroughRecorder? _recorder;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly SessionTimeouts _timeouts;
    private readonly RfbClientStreamFilter _filter;
    private readonly ArrayBufferWriter<byte> _filtered = new(4096);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _sendAbort;
    private readonly CancellationTokenRegistration _cutOff;
    private TcpClient? _tcp;
    private Stream? _stream;
    private long _browserMessageLength;
    private Task? _browserPump;

    public PassthroughRelay(WebSocket browser, LiveSession live, ResolvedTarget target, PassthroughRecorder? recorder, ILogger log,
        TimeProvider? time = null, SessionTimeouts? timeouts = null, bool jpegReplayable = false)
    {
        _browser = browser;
        _live = live;
        _target = target;
        // JPEG only where the target allows it and the gateway has a codec to replay the recording with.
        _filter = new RfbClientStreamFilter(lossless: target.SettingsAs<VncTargetSettings>().PassthroughLossless || !jpegReplayable);
        _recorder = recorder;
        _log = log;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        _timeouts = timeouts ?? new SessionTimeouts();
        _sendAbort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time); // CancelAfter then runs on _time
        // Reads from and sends to the browser are never cancelled by a token (that would abort the WebSocket
        // and lose the close reason); a browser that stops reading is cut off a few seconds after the gateway
        // ends the session.
        _cutOff = live.Terminated.Register(() => AbortSendsAfter(_timeouts.BrowserCloseGrace));
    }

    private void AbortSendsAfter(TimeSpan delay)
    {
        try
        {
            _sendAbort.CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
            // Already disposed.
        }
    }

    /// <summary>The client-stream filter, for tests and the end-of-session note.</summary>
    public RfbClientStreamFilter Filter => _filter;

    /// <summary>Connects and logs in to the target, plays the viewer's handshake, then relays until one side ends.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await ConnectAsync(ct).ConfigureAwait(false);
        var fromTarget = await AuthenticateToTargetAsync(ct).ConfigureAwait(false);
        _recorder?.SessionStarted();
        _recorder?.Note($"the gateway logged in to the target ({TargetSecurity}); the viewer was offered security type None");
        var fromBrowser = await ServeBrowserHandshakeAsync(ct).ConfigureAwait(false);
        await WriteToTargetAsync(_clientInit, ct).ConfigureAwait(false);
        StartWatchingTarget();
        if (fromTarget.Length > 0)
        {
            TargetBytesArrived(fromTarget);
            await ForwardToBrowserAsync(fromTarget, ct).ConfigureAwait(false);
        }

        using var targetCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (fromBrowser.Length > 0)
        {
            await ForwardToTargetAsync(fromBrowser, targetCts.Token).ConfigureAwait(false);
        }
        var target = PumpTargetAsync(targetCts.Token);
        var watchdog = PumpLivenessAsync(targetCts.Token);
        // Reads from the browser take no token (see the constructor); its writes to the target stop with the target side.
        _browserPump = PumpBrowserAsync(targetCts.Token);
        var first = await Task.WhenAny(target, watchdog, _browserPump).ConfigureAwait(false);
        await targetCts.CancelAsync().ConfigureAwait(false);
        if (first == _browserPump)
        {
            _tcp?.Client.Shutdown(SocketShutdown.Both);
        }
        foreach (var loop in new[] { target, watchdog })
        {
            if (loop == first) continue;
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Stopped because another loop ended first; the first one says why the session ended.
            }
        }
        await first.ConfigureAwait(false);
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        _tcp = await TargetConnector.ConnectAsync(_target, _timeouts, _time, _log, _live.Id, ct).ConfigureAwait(false);
        _stream = _tcp.GetStream();
    }

    /// <summary>Target → browser: each TCP read becomes one binary WebSocket message.</summary>
    private async Task PumpTargetAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            while (true)
            {
                int n;
                WaitingForTarget();
                try
                {
                    n = await _stream!.ReadAsync(buffer.AsMemory(0, ReadBufferSize), ct).ConfigureAwait(false);
                }
                catch (IOException ex) when (!ct.IsCancellationRequested)
                {
                    throw new SessionFailure(SessionEndReason.TargetClosed, "The connection to the desktop server was lost.", ex);
                }
                if (n == 0)
                {
                    throw new SessionFailure(SessionEndReason.TargetClosed, "The desktop server ended the session.");
                }
                TargetBytesArrived(buffer.AsSpan(0, n));
                _live.AddFromTarget(n);
                await ForwardToBrowserAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Target bytes on to the browser: seen by the filter, recorded, sent as one binary message.</summary>
    private async Task ForwardToBrowserAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        lock (_filter)
        {
            _filter.ObserveServer(data.Span);
        }
        _recorder?.ServerData(data.Span);
        await SendToBrowserAsync(data, ct).ConfigureAwait(false);
    }

    private async Task SendToBrowserAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _browser.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, _sendAbort.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
        _live.AddToBrowser(data.Length);
    }

    /// <summary>Browser → target: binary messages, any fragmentation, each capped; the filter's output is recorded and sent.</summary>
    private async Task PumpBrowserAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            while (true)
            {
                var n = await ReceiveFromBrowserAsync(buffer.AsMemory(0, ReadBufferSize), CancellationToken.None).ConfigureAwait(false);
                if (n == 0) continue;
                await ForwardToTargetAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// One read from the browser: the number of bytes (0 for an empty frame). A close, a text message or a
    /// message over <see cref="MaxBrowserMessageBytes"/> ends the session.
    /// </summary>
    private async Task<int> ReceiveFromBrowserAsync(Memory<byte> buffer, CancellationToken ct)
    {
        var result = await _browser.ReceiveAsync(buffer, ct).ConfigureAwait(false);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser left the session.");
        }
        if (result.MessageType != WebSocketMessageType.Binary)
        {
            throw new SessionFailure(SessionEndReason.BrowserProtocolError, "Protocol error: the browser sent a text message; this channel carries binary messages only.");
        }
        _browserMessageLength = result.EndOfMessage ? 0 : _browserMessageLength + result.Count;
        if (_browserMessageLength > MaxBrowserMessageBytes)
        {
            throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: a message from the browser is larger than {MaxBrowserMessageBytes} bytes.");
        }
        _live.AddFromBrowser(result.Count);
        return result.Count;
    }

    /// <summary>
    /// Browser bytes of the normal phase on to the target: filtered, recorded, written, under the lock the liveness
    /// probe is written under too, so that the probe only goes in between the viewer's messages.
    /// </summary>
    private async Task ForwardToTargetAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _targetWrite.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            lock (_filter)
            {
                _filtered.ResetWrittenCount();
                FilterClientBytes(data.Span, _filtered);
                _recorder?.ClientData(_filtered.WrittenSpan);
            }
            if (_filtered.WrittenCount > 0)
            {
                await WriteToTargetAsync(_filtered.WrittenMemory, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _targetWrite.Release();
        }
    }

    private void FilterClientBytes(ReadOnlySpan<byte> data, ArrayBufferWriter<byte> output)
    {
        try
        {
            _filter.Filter(data, output);
        }
        catch (DecodeException ex)
        {
            throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: the VNC viewer sent data Oriel could not follow ({ex.Message}).", ex);
        }
    }

    private async Task WriteToTargetAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try
        {
            await _stream!.WriteAsync(data, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new SessionFailure(SessionEndReason.TargetClosed, "The connection to the desktop server was lost.", ex);
        }
        _live.AddToTarget(data.Length);
    }

    /// <summary>Tells the browser why the session ended (a WebSocket close reason noVNC's page shows) and waits briefly for its answer.</summary>
    public async Task CloseAsync(SessionEndReason reason, string userMessage)
    {
        var grace = _timeouts.BrowserCloseGrace;
        try
        {
            using (var timeout = new CancellationTokenSource(grace, _time))
            {
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    if (_browser.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await _browser.CloseOutputAsync(SessionEndReasons.CloseStatus(reason), TdpChannel.CloseReasonText(userMessage), timeout.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            // The browser's answer to the close ends the read that is pending: the browser loop's, or the one a
            // handshake that timed out left behind.
            if ((_browserPump ?? _pendingHandshakeRead) is { IsCompleted: false } pending)
            {
                await pending.WaitAsync(grace, _time).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException or SessionFailure)
        {
            // The browser is gone or did not answer the close; the socket is aborted on dispose.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if ((_browserPump ?? _pendingHandshakeRead) is { IsCompleted: false } pending)
        {
            _browser.Abort();
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Aborted on purpose.
            }
        }
        _stream?.Dispose();
        _tcp?.Dispose();
        await _cutOff.DisposeAsync().ConfigureAwait(false);
        _sendAbort.Dispose();
        _sendLock.Dispose();
        _targetWrite.Dispose();
    }

    private static partial class Log
    {

        [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Passthrough session {SessionId}: logged in to target {TargetId} with {Security}")]
        public static partial void TargetAuthenticated(ILogger logger, string sessionId, string targetId, string security);

        [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Passthrough session {SessionId}: target {TargetId} refused the gateway's login: {Kind}")]
        public static partial void TargetLoginRefused(ILogger logger, string sessionId, string targetId, string kind);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Passthrough session {SessionId}: malformed data from target {TargetId}: {Error}")]
        public static partial void TargetProtocolError(ILogger logger, string sessionId, string targetId, string error);

        [LoggerMessage(EventId = 3153, Level = LogLevel.Warning, Message = "Passthrough session {SessionId}: target {TargetId} did not finish the login within {Seconds} s")]
        public static partial void TargetLoginTimedOut(ILogger logger, string sessionId, string targetId, double seconds);

        [LoggerMessage(EventId = 3154, Level = LogLevel.Warning, Message = "Passthrough session {SessionId}: the viewer did not finish the RFB handshake within {Seconds} s")]
        public static partial void BrowserHandshakeTimedOut(ILogger logger, string sessionId, double seconds);

        [LoggerMessage(EventId = 3155, Level = LogLevel.Debug, Message = "Passthrough session {SessionId}: target {TargetId} silent for {Seconds} s; wrote a 1x1 update request into the viewer's stream to check it is there")]
        public static partial void TargetProbed(ILogger logger, string sessionId, string targetId, double seconds);

        [LoggerMessage(EventId = 3156, Level = LogLevel.Warning, Message = "Passthrough session {SessionId}: target {TargetId} unresponsive: {Reason}")]
        public static partial void TargetUnresponsive(ILogger logger, string sessionId, string targetId, string reason);
    }
}
