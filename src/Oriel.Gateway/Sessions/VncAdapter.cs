using System.Text;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Targets;
using Oriel.Graphics;
using Oriel.Rfb;
using Oriel.Rfb.Encodings;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The VNC adapter: between the RFB engine and the browser, with no socket of its own (that is
/// <see cref="VncDriver"/>). It owns the engine; engine events become TDP (the framebuffer's damage and copies,
/// desktop sizes, cursor shapes and completed updates go to the <see cref="DesktopSurface"/>, clipboard and
/// notices straight to the browser) and TDP input becomes engine calls (pointer, wheel, keysyms, clipboard,
/// desktop size). The surface asks for the target's next update through the engine. Every call runs under
/// the session's gate.
/// </summary>
public sealed class VncAdapter : IFramebufferSink, IDisposable
{
    private readonly LiveSession _live;
    private readonly ResolvedTarget _target;
    private readonly SessionPermissions _permissions;
    private readonly ITdpSender _browser;
    private readonly ILogger _log;
    private readonly Action<string, string, long> _auditClipboard;
    private readonly DesktopSurface _surface;
    private int _lastPointerX;
    private int _lastPointerY;
    private byte _buttonMask;
    private int _wheelAccumulatorY;
    private int _wheelAccumulatorX;
    private ClientScreenSpecMessage? _pendingResize;
    private RemoteResizeMode _resizeMode;
    private bool _resizeRefusedReported;

    /// <param name="engineOptions">The engine's credentials, security policy and limits.</param>
    /// <param name="initialScreen">The browser's size from the TDP handshake.</param>
    /// <param name="resizeMode">From the handshake's resize remote (107): whether the desktop takes that size as it opens.</param>
    public VncAdapter(RfbClientOptions engineOptions, LiveSession live, ResolvedTarget target, SessionPermissions permissions, ITdpSender browser, ILogger log,
        Action<string, string, long> auditClipboard, FrameEncoderOptions encoderOptions, TimeProvider time, ClientScreenSpecMessage initialScreen, RemoteResizeMode resizeMode)
    {
        _live = live;
        _target = target;
        _permissions = permissions;
        _browser = browser;
        _log = log;
        _auditClipboard = auditClipboard;
        _resizeMode = resizeMode;
        _pendingResize = ResizesRemote ? initialScreen : null;
        Engine = new RfbClient(engineOptions, this);
        _surface = new DesktopSurface(browser, () => Engine.Framebuffer, () => Engine.RequestUpdate(incremental: true), live, encoderOptions, time);
    }

    /// <summary>The RFB engine; the driver feeds it the target's bytes and sends what it queues.</summary>
    public RfbClient Engine { get; }

    /// <summary>The browser's view of the desktop.</summary>
    public DesktopSurface Surface => _surface;

    /// <summary>One engine event other than the driver's own (TLS): to the surface or the browser.</summary>
    public async Task HandleEngineEventAsync(RfbEvent ev)
    {
        switch (ev)
        {
            case RfbConnected connected:
                VncSession.Log.TargetConnected(_log, _live.Id, _target.Id, connected.Width, connected.Height);
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

    /// <summary>Whether a screen spec from the browser asks for the desktop to be resized: the role allows it and the user has not opted out (107).</summary>
    private bool ResizesRemote => _permissions.Resize && _resizeMode == RemoteResizeMode.Follow;

    /// <summary>
    /// One message from the browser: frame acks go to the surface, input and clipboard to the engine (when the
    /// desktop is up and the role allows it), screen specs become resize requests while resize remote is on.
    /// </summary>
    public async Task HandleBrowserMessageAsync(TdpMessage message)
    {
        if (message is ResizeRemoteMessage resize)
        {
            // Turning it off leaves the desktop at its current size, including a size still waiting to be sent;
            // turning it on changes nothing by itself: the browser follows it with its screen spec.
            _resizeMode = resize.Mode;
            if (resize.Mode == RemoteResizeMode.Keep)
            {
                _pendingResize = null;
                Engine.WithdrawDesktopSize();
            }
            return;
        }
        if (message is FrameAckMessage ack)
        {
            await _surface.AcknowledgeAsync(ack.FrameId).ConfigureAwait(false);
            return;
        }
        if (Engine.Phase != RfbPhase.Normal)
        {
            if (message is ClientScreenSpecMessage early && ResizesRemote)
            {
                _pendingResize = early;
            }
            return; // input before the desktop is up is dropped
        }
        var fb = Engine.Framebuffer!;
        switch (message)
        {
            case MouseMoveMessage move:
                _lastPointerX = (int)Math.Min(move.X, (uint)fb.Width - 1);
                _lastPointerY = (int)Math.Min(move.Y, (uint)fb.Height - 1);
                Engine.SendPointer(_lastPointerX, _lastPointerY, _buttonMask);
                break;
            case MouseButtonMessage button:
                var bit = button.Button switch { MouseButton.Left => 1, MouseButton.Middle => 2, MouseButton.Right => 4, _ => 0 };
                _buttonMask = button.State == ButtonState.Pressed ? (byte)(_buttonMask | bit) : (byte)(_buttonMask & ~bit);
                Engine.SendPointer(_lastPointerX, _lastPointerY, _buttonMask);
                break;
            case MouseWheelMessage wheel:
                SendWheel(wheel);
                break;
            case KeysymInputMessage key:
                Engine.SendKey(key.Keysym, key.State == KeyState.Pressed);
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
                    Engine.SendClipboard(text);
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
        var fb = Engine.Framebuffer!;
        if (spec.Width == fb.Width && spec.Height == fb.Height && Engine.DeferredDesktopSize is null)
        {
            return;
        }
        switch (Engine.RequestDesktopSize((int)spec.Width, (int)spec.Height))
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
            Engine.SendPointer(_lastPointerX, _lastPointerY, (byte)(_buttonMask | bit));
            Engine.SendPointer(_lastPointerX, _lastPointerY, _buttonMask);
        }
    }

    void IFramebufferSink.Damaged(Rect area) => _surface.Damage(area);

    void IFramebufferSink.Copied(Rect source, int dx, int dy) => _surface.Copy(source, dx, dy);

    public void Dispose() => _surface.Dispose();
}
