using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Targets;
using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Rfb;
using Oriel.Rfb.Encodings;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// One VNC desktop session: the RFB engine driven over a socket (TLS when VeNCrypt asks for it),
/// and the adapter between engine events and TDP. Everything that touches the engine, the
/// framebuffer or the browser socket runs under one gate, so the order of what the browser sees
/// is the order in which things happened. Photo-like tiles go out as JPEG (TDP 106) when
/// libturbojpeg is installed; a refinement loop re-sends them as PNG once they have been quiet for
/// <see cref="FrameEncoderOptions.RefineDelay"/>, through the same flow-controlled frame path.
/// </summary>
public sealed partial class VncSession : IFramebufferSink, IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;

    private readonly LiveSession _live;
    private readonly ResolvedTarget _target;
    private readonly SessionPermissions _permissions;
    private readonly TdpChannel _browser;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DesktopSurface _surface;
    private readonly JpegCodec? _jpeg;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ArrayBufferWriter<byte> _engineOutput = new(4096);
    private readonly Action<string, string, long> _auditClipboard;

    private RfbClient _engine = null!;
    private TcpClient? _tcp;
    private Stream? _stream;
    private int _lastPointerX;
    private int _lastPointerY;
    private byte _buttonMask;
    private int _wheelAccumulatorY;
    private int _wheelAccumulatorX;
    private ClientScreenSpecMessage? _pendingResize;
    private RemoteResizeMode _resizeMode = RemoteResizeMode.Follow;
    private bool _resizeRefusedReported;
    private TargetLiveness _liveness = null!;

    public VncSession(LiveSession live, ResolvedTarget target, SessionPermissions permissions, TdpChannel browser, ILogger log, Action<string, string, long> auditClipboard, JpegCodec? jpeg, TimeProvider? time = null)
    {
        _live = live;
        _target = target;
        _permissions = permissions;
        _browser = browser;
        _log = log;
        _auditClipboard = auditClipboard;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        _jpeg = jpeg; // owned; from the host's JpegSupport, null without a JPEG library
        _surface = new DesktopSurface(browser, () => _engine.Framebuffer, () => _engine.RequestUpdate(incremental: true), live,
            new FrameEncoderOptions { JpegEncoder = _jpeg is null ? null : _jpeg.Encode }, _time);
    }

    /// <summary>Monotonic time since the session started, the clock of <see cref="TargetLiveness"/>.</summary>
    private TimeSpan Now => _time.GetElapsedTime(_started);

    /// <summary>The time limits: connect, TLS, the target's handshake, a silent target (see <see cref="TargetLiveness"/>).</summary>
    public SessionTimeouts Timeouts { get; init; } = new();

    private Task? _browserPump;

    /// <summary>
    /// Runs until the session ends; throws <see cref="SessionFailure"/> with the reason. When the
    /// target side ends first, the browser side is left reading so that the caller can still tell
    /// the user why and close the WebSocket properly (cancelling a WebSocket read would abort it);
    /// <see cref="DisposeAsync"/> waits for it.
    /// </summary>
    /// <param name="initialScreen">The browser's size from the TDP handshake.</param>
    /// <param name="resizeMode">From the handshake's resize remote (107): whether the desktop takes that size as it opens.</param>
    /// <param name="ct">Ends the session.</param>
    public async Task RunAsync(ClientScreenSpecMessage initialScreen, RemoteResizeMode resizeMode, CancellationToken ct)
    {
        _resizeMode = resizeMode;
        _pendingResize = ResizesRemote ? initialScreen : null;
        await ConnectAsync(ct).ConfigureAwait(false);
        _engine = new RfbClient(BuildOptions(), this);

        using var targetCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var target = PumpTargetAsync(targetCts.Token);
        var refine = PumpRefinementAsync(targetCts.Token);
        var watchdog = PumpLivenessAsync(targetCts.Token);
        _browserPump = PumpBrowserAsync();
        var first = await Task.WhenAny(target, _browserPump, refine, watchdog).ConfigureAwait(false);
        await targetCts.CancelAsync().ConfigureAwait(false);
        foreach (var loop in new[] { target, refine, watchdog })
        {
            if (loop == first) continue;
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Cancelled because another loop ended first; the first one says why the session ended.
            }
        }
        await first.ConfigureAwait(false);
    }

    private RfbClientOptions BuildOptions() => new()
    {
        Password = _target.Password,
        Username = _target.Username,
        Shared = true,
        Security = VncSecurityNames.ToPolicy(_target.VncSecurity),
        MaxClipboardBytes = TdpLimits.MaxClipboardBytes,
        JpegQuality = _target.JpegQuality,
        Jpeg = _jpeg,
    };

    private async Task ConnectAsync(CancellationToken ct)
    {
        _tcp = await TargetConnector.ConnectAsync(_target, Timeouts, _time, _log, _live.Id, ct).ConfigureAwait(false);
        _stream = _tcp.GetStream();
        _liveness = new TargetLiveness(Timeouts, Now);
    }

    private async Task PumpTargetAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        var midMessage = false;
        try
        {
            while (true)
            {
                int n;
                lock (_liveness)
                {
                    _liveness.Waiting(Now, midMessage);
                }
                try
                {
                    n = await _stream!.ReadAsync(buffer.AsMemory(0, ReadBufferSize), ct).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw new SessionFailure(SessionEndReason.TargetClosed, "The connection to the desktop server was lost.", ex);
                }
                lock (_liveness)
                {
                    _liveness.Received();
                }
                if (n == 0)
                {
                    if (_engine.Phase == RfbPhase.Normal && _engine.IsMidMessage)
                    {
                        throw new SessionFailure(SessionEndReason.TargetProtocolError,
                            "Protocol error: the desktop server closed the connection in the middle of a message (truncated stream).");
                    }
                    throw new SessionFailure(SessionEndReason.TargetClosed,
                        _engine.Phase == RfbPhase.Normal ? "The desktop server ended the session." : "The desktop server closed the connection during the handshake.");
                }
                _live.AddFromTarget(n);
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    try
                    {
                        _engine.Receive(buffer.AsSpan(0, n));
                    }
                    catch (DecodeException ex)
                    {
                        Log.TargetProtocolError(_log, _live.Id, _target.Id, ex.Message);
                        throw new SessionFailure(SessionEndReason.TargetProtocolError,
                            $"Protocol error: the desktop server sent data Oriel could not accept ({ex.Message}).", ex);
                    }
                    catch (RfbSecurityException ex)
                    {
                        throw new SessionFailure(SessionEndReason.AuthenticationFailed, DescribeSecurityFailure(ex), ex);
                    }
                    if (_engine.Phase == RfbPhase.Normal)
                    {
                        lock (_liveness)
                        {
                            _liveness.Established();
                        }
                    }
                    await HandleEngineEventsAsync(ct).ConfigureAwait(false);
                    await FlushEngineOutputAsync(ct).ConfigureAwait(false);
                    midMessage = _engine.IsMidMessage;
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The target's watchdog: applies <see cref="TargetLiveness"/> at the times it names, sends the probe it asks
    /// for (a 1x1 non-incremental FramebufferUpdateRequest, under the gate like every engine call), and ends the
    /// session with its sentence when the target is unresponsive. The target loop is then cancelled by RunAsync.
    /// </summary>
    private async Task PumpLivenessAsync(CancellationToken ct)
    {
        var minimumWait = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            TargetLivenessAction action;
            TimeSpan next;
            lock (_liveness)
            {
                var now = Now;
                action = _liveness.Step(now);
                next = _liveness.NextStepAt(now);
            }
            if (action == TargetLivenessAction.Fail)
            {
                Log.TargetUnresponsive(_log, _live.Id, _target.Id, _liveness.FailureMessage!);
                throw new SessionFailure(SessionEndReason.TargetUnresponsive, _liveness.FailureMessage!);
            }
            if (action == TargetLivenessAction.SendProbe)
            {
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    if (_engine.Phase == RfbPhase.Normal)
                    {
                        _engine.RequestUpdate(incremental: false, new Rect(0, 0, 1, 1));
                        await FlushEngineOutputAsync(ct).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _gate.Release();
                }
                Log.TargetProbed(_log, _live.Id, _target.Id, Timeouts.TargetSilenceBeforeProbe.TotalSeconds);
            }
            var wait = next - Now;
            await Task.Delay(wait > minimumWait ? wait : minimumWait, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The sentence for a failed target login; the passthrough relay says the same.</summary>
    internal static string DescribeSecurityFailure(RfbSecurityException ex) => ex.Kind switch
    {
        RfbSecurityFailure.AuthenticationFailed => string.IsNullOrWhiteSpace(ex.Reason)
            ? "Wrong VNC password: the desktop server refused the login."
            : $"Wrong VNC password or login: the desktop server refused it ({ex.Reason}).",
        RfbSecurityFailure.NoAcceptableSecurityType => $"The desktop server offers no security type this target allows: {ex.Reason}",
        RfbSecurityFailure.MissingCredentials => $"This target has no VNC password or login configured, but the desktop server asks for one: {ex.Reason}",
        RfbSecurityFailure.TooManyAttempts => $"The desktop server is refusing logins for now (too many attempts): {ex.Reason}",
        _ => $"The desktop server refused the connection: {ex.Reason}",
    };

    private async Task FlushEngineOutputAsync(CancellationToken ct)
    {
        if (!_engine.HasOutput) return;
        _engine.TakeOutput(_engineOutput);
        var bytes = _engineOutput.WrittenMemory;
        try
        {
            await _stream!.WriteAsync(bytes, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new SessionFailure(SessionEndReason.TargetClosed, "The connection to the desktop server was lost.", ex);
        }
        _live.AddToTarget(bytes.Length);
        _engineOutput.ResetWrittenCount();
    }

    private async Task HandleEngineEventsAsync(CancellationToken ct)
    {
        while (_engine.TryDequeueEvent(out var ev))
        {
            switch (ev)
            {
                case RfbTlsRequired tls:
                    await FlushEngineOutputAsync(ct).ConfigureAwait(false);
                    await StartTlsAsync(tls, ct).ConfigureAwait(false);
                    _engine.TlsEstablished();
                    break;
                case RfbConnected connected:
                    Log.TargetConnected(_log, _live.Id, _target.Id, connected.Width, connected.Height);
                    // The engine asked for the first full update itself.
                    await _surface.OpenAsync(connected.Width, connected.Height, updatePending: true).ConfigureAwait(false);
                    if (_pendingResize is { } spec)
                    {
                        // The browser's size: the engine keeps it until the server's first update shows
                        // whether it can resize, then sends it (or reports RfbDesktopSizeUnsupported).
                        _pendingResize = null;
                        await RequestDesktopSizeAsync(spec).ConfigureAwait(false);
                    }
                    break;
                case RfbFramebufferResized resized:
                    await _surface.ResizeAsync(resized.Width, resized.Height).ConfigureAwait(false);
                    break;
                case RfbUpdateCompleted:
                    await _surface.UpdateCompletedAsync().ConfigureAwait(false);
                    break;
                case RfbCursorShape cursor:
                    await _surface.CursorAsync(cursor.HotX, cursor.HotY, cursor.Width, cursor.Height, cursor.Rgba).ConfigureAwait(false);
                    break;
                case RfbClipboardText clip:
                    if (_permissions.ClipboardRead)
                    {
                        var bytes = Encoding.UTF8.GetBytes(clip.Text);
                        await _browser.SendAsync(new ClipboardDataMessage(bytes)).ConfigureAwait(false);
                        _auditClipboard(_live.Id, "remote-to-local", bytes.Length);
                    }
                    break;
                case RfbDesktopSizeUnsupported:
                    await ReportCannotResizeAsync().ConfigureAwait(false);
                    break;
                case RfbDesktopSizeRefused refused:
                    if (!_resizeRefusedReported)
                    {
                        _resizeRefusedReported = true;
                        await _browser.SendAsync(new NotificationMessage($"The desktop server did not change its size (status {refused.Status}).", Severity.Info)).ConfigureAwait(false);
                    }
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>
    /// Lossless refinement: sleeps until the surface's next lossy tile has been quiet long enough, then,
    /// under the gate, lets <see cref="DesktopSurface.RefineAsync"/> re-send the quiet lossy tiles as PNG.
    /// With nothing lossy it waits for the surface to say that something is.
    /// </summary>
    private async Task PumpRefinementAsync(CancellationToken ct)
    {
        var minimumWait = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            TimeSpan? due = null;
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_engine.Phase == RfbPhase.Normal)
                {
                    due = await _surface.RefineAsync().ConfigureAwait(false);
                    await FlushEngineOutputAsync(ct).ConfigureAwait(false); // an update request the surface may have queued
                }
            }
            finally
            {
                _gate.Release();
            }
            if (due is { } d)
            {
                var wait = d - _surface.Now;
                await Task.Delay(wait > minimumWait ? wait : minimumWait, _time, ct).ConfigureAwait(false);
            }
            else
            {
                await _surface.WaitForLossyAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>VeNCrypt asked for TLS: <see cref="TargetTls"/> runs the handshake and checks the certificate.</summary>
    private async Task StartTlsAsync(RfbTlsRequired request, CancellationToken ct)
    {
        _stream = await TargetTls.AuthenticateAsync(_stream!, _target, request.Subtype, Timeouts, _time, _log, _live.Id, ct).ConfigureAwait(false);
    }

    private async Task PumpBrowserAsync()
    {
        var ct = CancellationToken.None; // see RunAsync: a WebSocket read is never cancelled
        while (true)
        {
            TdpMessage? message;
            try
            {
                message = await _browser.ReceiveAsync(ct).ConfigureAwait(false);
            }
            catch (DecodeException ex)
            {
                Log.BrowserProtocolError(_log, _live.Id, ex.Message);
                throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: the browser sent a message Oriel could not accept ({ex.Message}).", ex);
            }
            catch (System.Net.WebSockets.WebSocketException ex)
            {
                throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser connection was lost.", ex);
            }
            if (message is null)
            {
                throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser closed the session.");
            }
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_engine.Phase == RfbPhase.Closed)
                {
                    continue; // the target side has ended; the session is closing
                }
                await HandleBrowserMessageAsync(message, ct).ConfigureAwait(false);
                await FlushEngineOutputAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Whether a screen spec from the browser asks for the desktop to be resized: the role allows it and the user has not opted out (107).</summary>
    private bool ResizesRemote => _permissions.Resize && _resizeMode == RemoteResizeMode.Follow;

    private async Task HandleBrowserMessageAsync(TdpMessage message, CancellationToken ct)
    {
        if (message is ResizeRemoteMessage resize)
        {
            // Turning it off leaves the desktop at its current size, including a size still waiting to be sent;
            // turning it on changes nothing by itself: the browser follows it with its screen spec.
            _resizeMode = resize.Mode;
            if (resize.Mode == RemoteResizeMode.Keep)
            {
                _pendingResize = null;
                _engine.WithdrawDesktopSize();
            }
            return;
        }
        if (message is FrameAckMessage ack)
        {
            await _surface.AcknowledgeAsync(ack.FrameId).ConfigureAwait(false);
            return;
        }
        if (_engine.Phase != RfbPhase.Normal)
        {
            if (message is ClientScreenSpecMessage early && ResizesRemote)
            {
                _pendingResize = early;
            }
            return; // input before the desktop is up is dropped
        }
        var fb = _engine.Framebuffer!;
        switch (message)
        {
            case MouseMoveMessage move:
                _lastPointerX = (int)Math.Min(move.X, (uint)fb.Width - 1);
                _lastPointerY = (int)Math.Min(move.Y, (uint)fb.Height - 1);
                _engine.SendPointer(_lastPointerX, _lastPointerY, _buttonMask);
                break;
            case MouseButtonMessage button:
                var bit = button.Button switch { MouseButton.Left => 1, MouseButton.Middle => 2, MouseButton.Right => 4, _ => 0 };
                _buttonMask = button.State == ButtonState.Pressed ? (byte)(_buttonMask | bit) : (byte)(_buttonMask & ~bit);
                _engine.SendPointer(_lastPointerX, _lastPointerY, _buttonMask);
                break;
            case MouseWheelMessage wheel:
                SendWheel(wheel);
                break;
            case KeysymInputMessage key:
                _engine.SendKey(key.Keysym, key.State == KeyState.Pressed);
                break;
            case KeyboardInputMessage:
                // Scan codes alone cannot say which character the user typed on their layout; the
                // browser client sends keysyms (type 105) for VNC targets.
                break;
            case ClipboardDataMessage clip:
                if (_permissions.ClipboardWrite)
                {
                    string text;
                    try
                    {
                        text = SpanReader.StrictUtf8.GetString(clip.Data);
                    }
                    catch (DecoderFallbackException ex)
                    {
                        throw new SessionFailure(SessionEndReason.BrowserProtocolError, "Protocol error: clipboard data from the browser is not UTF-8 text.", ex);
                    }
                    _engine.SendClipboard(text);
                    _auditClipboard(_live.Id, "local-to-remote", clip.Data.Length);
                }
                else
                {
                    await _browser.SendAsync(new NotificationMessage("Pasting into this desktop is not allowed by your role.", Severity.Warning)).ConfigureAwait(false);
                }
                break;
            case ClientScreenSpecMessage spec:
                if (ResizesRemote)
                {
                    await RequestDesktopSizeAsync(spec).ConfigureAwait(false);
                }
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Asks the desktop server for the browser's size. Before the server's first update the engine keeps
    /// the wish (<see cref="RfbDesktopSizeRequest.Deferred"/>); a size equal to the framebuffer's is only
    /// passed on then, to replace an earlier deferred wish.
    /// </summary>
    private async Task RequestDesktopSizeAsync(ClientScreenSpecMessage spec)
    {
        var fb = _engine.Framebuffer!;
        if (spec.Width == fb.Width && spec.Height == fb.Height && _engine.DeferredDesktopSize is null)
        {
            return;
        }
        switch (_engine.RequestDesktopSize((int)spec.Width, (int)spec.Height))
        {
            case RfbDesktopSizeRequest.Sent:
                // The server answers a resize inside a FramebufferUpdate: make sure one is asked for.
                _surface.EnsureUpdateRequested();
                break;
            case RfbDesktopSizeRequest.Deferred:
                break;
            default:
                await ReportCannotResizeAsync().ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Tells the user once per session that the desktop keeps its size.</summary>
    private async Task ReportCannotResizeAsync()
    {
        if (_resizeRefusedReported) return;
        _resizeRefusedReported = true;
        await _browser.SendAsync(new NotificationMessage("This desktop server cannot be resized from the browser.", Severity.Info)).ConfigureAwait(false);
    }

    /// <summary>Wheel deltas (pixels) accumulate; each 50 px is one click of RFB buttons 4/5 (vertical) or 6/7 (horizontal).</summary>
    private void SendWheel(MouseWheelMessage wheel)
    {
        const int PixelsPerClick = 50;
        ref var acc = ref wheel.Axis == WheelAxis.Vertical ? ref _wheelAccumulatorY : ref _wheelAccumulatorX;
        acc += wheel.Delta;
        var clicks = Math.Clamp(acc / PixelsPerClick, -20, 20);
        if (clicks == 0 && Math.Abs(wheel.Delta) >= 10)
        {
            clicks = Math.Sign(wheel.Delta); // one small but deliberate step still scrolls
        }
        acc -= clicks * PixelsPerClick;
        if (Math.Sign(acc) != Math.Sign(wheel.Delta)) acc = 0;
        byte bit = wheel.Axis == WheelAxis.Vertical
            ? (clicks > 0 ? (byte)8 : (byte)16)    // positive = up
            : (clicks > 0 ? (byte)32 : (byte)64);  // positive = left
        for (var i = 0; i < Math.Abs(clicks); i++)
        {
            _engine.SendPointer(_lastPointerX, _lastPointerY, (byte)(_buttonMask | bit));
            _engine.SendPointer(_lastPointerX, _lastPointerY, _buttonMask);
        }
    }

    void IFramebufferSink.Damaged(Rect area) => _surface.Damage(area);

    void IFramebufferSink.Copied(Rect source, int dx, int dy) => _surface.Copy(source, dx, dy);

    public async ValueTask DisposeAsync()
    {
        if (_browserPump is not null)
        {
            try
            {
                await _browserPump.WaitAsync(_browser.CloseGrace, _time).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Ended with the session (closed, failed or timed out): nothing more to do with it.
            }
        }
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        _tcp?.Dispose();
        _surface.Dispose();
        _jpeg?.Dispose();
        _gate.Dispose();
    }
}
