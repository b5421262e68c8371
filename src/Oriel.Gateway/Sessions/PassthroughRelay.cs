using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Targets;
using Oriel.Rfb.Passthrough;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// One passthrough session: raw TCP to the target carried in WebSocket binary messages, as websockify
/// does it, so that a stock noVNC speaks RFB to the VNC server itself. Two pumps: browser → target
/// (through <see cref="RfbClientStreamFilter"/>, which drops encodings the gateway could not replay) and
/// target → browser. Both directions are counted on the <see cref="LiveSession"/> and recorded in the
/// order the gateway saw them. The session ends when either side closes, when a browser message exceeds
/// <see cref="MaxBrowserMessageBytes"/>, or when the broker terminates it; <see cref="RunAsync"/>
/// throws <see cref="SessionFailure"/> with the reason.
/// </summary>
public sealed partial class PassthroughRelay : IAsyncDisposable
{
    /// <summary>Largest WebSocket message from the browser. noVNC sends one RFB message or a few per WebSocket message; the largest is a clipboard.</summary>
    public const int MaxBrowserMessageBytes = 4 * 1024 * 1024;

    private const int ReadBufferSize = 64 * 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _browser;
    private readonly LiveSession _live;
    private readonly ResolvedTarget _target;
    private readonly PassthroughRecorder? _recorder;
    private readonly ILogger _log;
    private readonly RfbClientStreamFilter _filter = new();
    private readonly ArrayBufferWriter<byte> _filtered = new(4096);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private TcpClient? _tcp;
    private NetworkStream? _stream;
    private Task? _browserPump;

    public PassthroughRelay(WebSocket browser, LiveSession live, ResolvedTarget target, PassthroughRecorder? recorder, ILogger log)
    {
        _browser = browser;
        _live = live;
        _target = target;
        _recorder = recorder;
        _log = log;
    }

    /// <summary>The client-stream filter, for tests and the end-of-session note.</summary>
    public RfbClientStreamFilter Filter => _filter;

    /// <summary>Connects to the target and relays until one side ends.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await ConnectAsync(ct).ConfigureAwait(false);
        _recorder?.SessionStarted();

        using var targetCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var target = PumpTargetAsync(targetCts.Token);
        _browserPump = PumpBrowserAsync(ct);
        var first = await Task.WhenAny(target, _browserPump).ConfigureAwait(false);
        if (first == _browserPump)
        {
            await targetCts.CancelAsync().ConfigureAwait(false);
            _tcp?.Client.Shutdown(SocketShutdown.Both);
            try
            {
                await target.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The target pump was stopped because the browser side ended first.
            }
        }
        await first.ConfigureAwait(false);
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        _tcp = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await _tcp.ConnectAsync(_target.Host, _target.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            Log.TargetUnreachable(_log, _live.Id, _target.Id, ex.Message);
            throw new SessionFailure(SessionEndReason.TargetUnreachable,
                $"The desktop server could not be reached ({(ex is SocketException se ? se.SocketErrorCode.ToString() : "timed out")}). It may be down or not listening.", ex);
        }
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
                _live.AddFromTarget(n);
                lock (_filter)
                {
                    _filter.ObserveServer(buffer.AsSpan(0, n));
                }
                _recorder?.ServerData(buffer.AsSpan(0, n));
                await _sendLock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await _browser.SendAsync(buffer.AsMemory(0, n), WebSocketMessageType.Binary, endOfMessage: true, ct).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
                _live.AddToBrowser(n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Browser → target: binary messages, any fragmentation, each capped; the filter's output is recorded and sent.</summary>
    private async Task PumpBrowserAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            var messageLength = 0L;
            while (true)
            {
                var result = await _browser.ReceiveAsync(buffer.AsMemory(0, ReadBufferSize), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser left the session.");
                }
                if (result.MessageType != WebSocketMessageType.Binary)
                {
                    throw new SessionFailure(SessionEndReason.BrowserProtocolError, "Protocol error: the browser sent a text message; this channel carries binary messages only.");
                }
                messageLength = result.EndOfMessage ? 0 : messageLength + result.Count;
                if (messageLength > MaxBrowserMessageBytes)
                {
                    throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: a message from the browser is larger than {MaxBrowserMessageBytes} bytes.");
                }
                if (result.Count == 0) continue;
                _live.AddFromBrowser(result.Count);
                lock (_filter)
                {
                    _filtered.ResetWrittenCount();
                    try
                    {
                        _filter.Filter(buffer.AsSpan(0, result.Count), _filtered);
                    }
                    catch (DecodeException ex)
                    {
                        throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: the VNC viewer sent data Oriel could not follow ({ex.Message}).", ex);
                    }
                    _recorder?.ClientData(_filtered.WrittenSpan);
                }
                if (_filtered.WrittenCount == 0) continue;
                try
                {
                    await _stream!.WriteAsync(_filtered.WrittenMemory, ct).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw new SessionFailure(SessionEndReason.TargetClosed, "The connection to the desktop server was lost.", ex);
                }
                _live.AddToTarget(_filtered.WrittenCount);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Tells the browser why the session ended (a WebSocket close reason noVNC's page shows) and waits briefly for its answer.</summary>
    public async Task CloseAsync(SessionEndReason reason, string userMessage)
    {
        try
        {
            await _sendLock.WaitAsync(CloseHandshakeTimeout).ConfigureAwait(false);
            try
            {
                if (_browser.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                    await _browser.CloseOutputAsync(SessionEndReasons.CloseStatus(reason), TdpChannel.CloseReasonText(userMessage), timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
            if (_browserPump is { IsCompleted: false } pump)
            {
                await pump.WaitAsync(CloseHandshakeTimeout).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException or SessionFailure)
        {
            // The browser is gone or did not answer the close; the socket is aborted on dispose.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browserPump is { IsCompleted: false })
        {
            _browser.Abort();
            try
            {
                await _browserPump.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Aborted on purpose.
            }
        }
        _stream?.Dispose();
        _tcp?.Dispose();
        _sendLock.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Passthrough session {SessionId}: target {TargetId} unreachable: {Error}")]
        public static partial void TargetUnreachable(ILogger logger, string sessionId, string targetId, string error);
    }
}
