using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Rfb;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// One VNC desktop session, put together from three parts: the <see cref="VncDriver"/> (the target's socket,
/// TLS, the read loop, the liveness watchdog), the <see cref="VncAdapter"/> (RFB engine events to TDP, TDP input
/// to the engine) and the adapter's <see cref="Desktop.DesktopSurface"/> (damage, encoding, flow control,
/// refinement, frame acks). The session runs their loops and the browser's; everything that touches the engine,
/// the framebuffer or the browser socket runs under one gate, so the order of what the browser sees is the
/// order in which things happened. Photo-like tiles go out as JPEG (TDP 106) when libturbojpeg is installed; a
/// refinement loop re-sends them as PNG once they have been quiet for <see cref="FrameEncoderOptions.RefineDelay"/>,
/// through the same flow-controlled frame path.
/// </summary>
public sealed partial class VncSession : IRenderedSession
{
    private readonly LiveSession _live;
    private readonly ResolvedTarget _target;
    private readonly SessionPermissions _permissions;
    private readonly ITdpBrowser _browser;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly JpegCodec? _jpeg;
    private readonly TimeProvider _time;
    private readonly Action<string, string, long> _auditClipboard;
    private VncDriver? _driver;
    private VncAdapter? _adapter;
    private Task? _browserPump;

    public VncSession(LiveSession live, ResolvedTarget target, SessionPermissions permissions, ITdpBrowser browser, ILogger log, Action<string, string, long> auditClipboard, JpegCodec? jpeg, TimeProvider? time = null)
    {
        _live = live;
        _target = target;
        _permissions = permissions;
        _browser = browser;
        _log = log;
        _auditClipboard = auditClipboard;
        _time = time ?? TimeProvider.System;
        _jpeg = jpeg; // owned; from the host's JpegSupport, null without a JPEG library
    }

    /// <summary>The time limits: connect, TLS, the target's handshake, a silent target (see <see cref="TargetLiveness"/>).</summary>
    public SessionTimeouts Timeouts { get; init; } = new();

    /// <summary>Called once the desktop's <see cref="DesktopSurface"/> exists, before the target's first update (the session's observers: <see cref="RenderedSessionContext.SurfaceOpened"/>).</summary>
    public Action<DesktopSurface, SessionGate>? SurfaceOpened { get; init; }

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
        _driver = new VncDriver(_live, _target, Timeouts, _time, _log, _gate);
        await _driver.ConnectAsync(ct).ConfigureAwait(false);
        _adapter = new VncAdapter(BuildOptions(), _live, _target, _permissions, _browser, _log, _auditClipboard,
            new FrameEncoderOptions { JpegEncoder = _jpeg is null ? null : _jpeg.Encode }, _time, initialScreen, resizeMode);
        _driver.Attach(_adapter);
        SurfaceOpened?.Invoke(_adapter.Surface, new SessionGate(_gate));

        using var targetCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var target = _driver.PumpTargetAsync(targetCts.Token);
        var refine = PumpRefinementAsync(targetCts.Token);
        var watchdog = _driver.PumpLivenessAsync(targetCts.Token);
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
        Security = VncSecurityNames.ToPolicy(_target.SettingsAs<VncTargetSettings>()),
        MaxClipboardBytes = TdpLimits.MaxClipboardBytes,
        JpegQuality = _target.SettingsAs<VncTargetSettings>().JpegQuality,
        Jpeg = _jpeg,
    };

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

    /// <summary>
    /// Lossless refinement: sleeps until the surface's next lossy tile has been quiet long enough, then,
    /// under the gate, lets the adapter's surface re-send the quiet lossy tiles as PNG (so PNG replacements
    /// queue behind unacknowledged frames like any update). With nothing lossy it waits for the surface to
    /// say that something is.
    /// </summary>
    private async Task PumpRefinementAsync(CancellationToken ct)
    {
        var minimumWait = TimeSpan.FromMilliseconds(20);
        var surface = _adapter!.Surface;
        while (true)
        {
            TimeSpan? due = null;
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_adapter.Engine.Phase == RfbPhase.Normal)
                {
                    due = await surface.RefineAsync().ConfigureAwait(false);
                    await _driver!.FlushAsync(ct).ConfigureAwait(false); // an update request the surface may have queued
                }
            }
            finally
            {
                _gate.Release();
            }
            if (due is { } d)
            {
                var wait = d - surface.Now;
                await Task.Delay(wait > minimumWait ? wait : minimumWait, _time, ct).ConfigureAwait(false);
            }
            else
            {
                await surface.WaitForLossyAsync(ct).ConfigureAwait(false);
            }
        }
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
                if (_adapter!.Engine.Phase == RfbPhase.Closed)
                {
                    continue; // the target side has ended; the session is closing
                }
                await _adapter.HandleBrowserMessageAsync(message).ConfigureAwait(false);
                await _driver!.FlushAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

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
        if (_driver is not null)
        {
            await _driver.DisposeAsync().ConfigureAwait(false);
        }
        _adapter?.Dispose();
        _jpeg?.Dispose();
        _gate.Dispose();
    }
}
