using Oriel.Gateway.Sessions;
using Oriel.Graphics;
using Oriel.Tdp;

namespace Oriel.Gateway.Desktop;

/// <summary>
/// The browser's view of a remote desktop, whatever the protocol: a graphical adapter reports what
/// changed in its framebuffer (<see cref="Damage"/>, <see cref="Copy"/>, <see cref="ResizeAsync"/>,
/// <see cref="CursorAsync"/>, <see cref="UpdateCompletedAsync"/>) and the surface turns it into TDP frames:
/// damage merges in an <see cref="UpdateTracker"/>, a <see cref="FrameEncoder"/> makes PNG (or JPEG, TDP 106)
/// tiles, a <see cref="FlowController"/> holds frames back until the browser acknowledges earlier ones
/// (<see cref="AcknowledgeAsync"/>), and lossy tiles are refined to PNG once quiet (<see cref="RefineAsync"/>).
/// The surface asks the adapter for the target's next update through the callback given to it, only
/// while the browser keeps up, so a slow browser slows the target down instead of growing a queue.
/// Not thread-safe: the caller serialises every call (the session's gate), which keeps the order the
/// browser sees the order in which things happened.
/// </summary>
public sealed class DesktopSurface : IDisposable
{
    private readonly ITdpSender _browser;
    private readonly Func<Framebuffer?> _framebuffer;
    private readonly Action _requestUpdate;
    private readonly LiveSession _live;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly UpdateTracker _tracker = new(1, 1);
    private readonly FlowController _flow = new();
    private readonly FrameEncoder _encoder;
    private readonly EncodedFrame _frame = new();
    private readonly byte[] _pngHeader = new byte[PngFrame2Message.HeaderSize];
    private readonly byte[] _jpegHeader = new byte[JpegFrameMessage.HeaderSize];
    private readonly SemaphoreSlim _lossyWake = new(0, 1);
    private bool _open;
    private bool _updatePending;

    /// <param name="browser">Where frames, copies, cursor shapes and desktop sizes go.</param>
    /// <param name="framebuffer">The adapter's framebuffer, the pixels that frames are encoded from (null until the desktop is open).</param>
    /// <param name="requestUpdate">Asks the target for its next (incremental) update; called under the caller's gate.</param>
    /// <param name="live">The session's counters (frames sent).</param>
    /// <param name="encoderOptions">Tiles, PNG and JPEG settings (the JPEG encoder is null without a JPEG library).</param>
    /// <param name="time">The clock of the encoder's refinement delays.</param>
    public DesktopSurface(ITdpSender browser, Func<Framebuffer?> framebuffer, Action requestUpdate, LiveSession live, FrameEncoderOptions encoderOptions, TimeProvider time)
    {
        _browser = browser;
        _framebuffer = framebuffer;
        _requestUpdate = requestUpdate;
        _live = live;
        _time = time;
        _started = time.GetTimestamp();
        _encoder = new FrameEncoder(encoderOptions);
    }

    /// <summary>Monotonic time since the surface was made, the encoder's clock.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_started);

    /// <summary>Whether the desktop is open (<see cref="OpenAsync"/>): frames are sent only then.</summary>
    public bool IsOpen => _open;

    /// <summary>Whether an update has been asked of the target and not yet completed (<see cref="UpdateCompletedAsync"/>).</summary>
    public bool UpdatePending => _updatePending;

    /// <summary>Whether the surface would ask the target for more now: nothing is pending and the browser keeps up.</summary>
    public bool WantsUpdate => !_updatePending && _flow.CanSend;

    /// <summary>Frames sent and not yet acknowledged by the browser.</summary>
    public int FramesInFlight => _flow.InFlight;

    /// <summary>
    /// Whether the framebuffer holds changes the browser has not been sent yet (damage, copies, a new size). When it
    /// does not, the browser's canvas is the framebuffer (a recorder takes its keyframes then).
    /// </summary>
    public bool HasPendingUpdate => _tracker.HasPendingUpdate;

    /// <summary>The pixels frames are encoded from (null until the desktop is open). Read it under the caller's gate only.</summary>
    public Framebuffer? Framebuffer => _framebuffer();

    /// <summary>
    /// The desktop is up at <paramref name="width"/> x <paramref name="height"/>: the browser gets its size.
    /// <paramref name="updatePending"/> says the target was already asked for its first full update.
    /// </summary>
    public async ValueTask OpenAsync(int width, int height, bool updatePending)
    {
        _open = true;
        _tracker.Resize(width, height);
        _updatePending = updatePending;
        await _browser.SendAsync(new DesktopSizeMessage((uint)width, (uint)height)).ConfigureAwait(false);
    }

    /// <summary>The desktop changed size: everything is damaged and the browser gets the new size.</summary>
    public async ValueTask ResizeAsync(int width, int height)
    {
        _tracker.Resize(width, height);
        await _browser.SendAsync(new DesktopSizeMessage((uint)width, (uint)height)).ConfigureAwait(false);
    }

    /// <summary>Pixels in <paramref name="area"/> of the framebuffer changed.</summary>
    public void Damage(Rect area) => _tracker.AddDamage(area);

    /// <summary>The framebuffer moved <paramref name="source"/> by (<paramref name="dx"/>, <paramref name="dy"/>).</summary>
    public void Copy(Rect source, int dx, int dy) => _tracker.AddCopy(source, dx, dy);

    /// <summary>The pointer's shape changed: RGBA pixels, row by row, and the hot spot.</summary>
    public ValueTask CursorAsync(int hotX, int hotY, int width, int height, byte[] rgba) =>
        _browser.SendAsync(new CursorShapeMessage((ushort)hotX, (ushort)hotY, (ushort)width, (ushort)height, rgba));

    /// <summary>The target finished the update asked for: send what changed, as flow control allows.</summary>
    public Task UpdateCompletedAsync()
    {
        _updatePending = false;
        return SendFramesAsync();
    }

    /// <summary>The browser drew frame <paramref name="frameId"/> (TDP frame ack): send what waited for it.</summary>
    public Task AcknowledgeAsync(uint frameId)
    {
        _flow.Acknowledge(frameId);
        return _open ? SendFramesAsync() : Task.CompletedTask;
    }

    /// <summary>
    /// Makes sure an update is asked of the target, flow control or not: after a resize request, the
    /// target answers it inside an update.
    /// </summary>
    public void EnsureUpdateRequested()
    {
        if (_updatePending) return;
        _requestUpdate();
        _updatePending = true;
    }

    /// <summary>
    /// Lossless refinement: re-damages the lossy tiles that have been quiet for
    /// <see cref="FrameEncoderOptions.RefineDelay"/> and sends frames as flow control allows (so PNG
    /// replacements queue behind unacknowledged frames like any update). Returns when the next lossy tile
    /// becomes due (on <see cref="Now"/>'s clock), or null when nothing lossy waits: then
    /// <see cref="WaitForLossyAsync"/> wakes when something does.
    /// </summary>
    public async Task<TimeSpan?> RefineAsync()
    {
        if (!_open || _framebuffer() is null) return null;
        if (_encoder.RequestRefinement(Now, _tracker) > 0)
        {
            await SendFramesAsync().ConfigureAwait(false);
        }
        return _encoder.NextRefinementDue;
    }

    /// <summary>Completes once a frame has left lossy tiles on the browser's canvas (the refinement loop's sleep).</summary>
    public Task WaitForLossyAsync(CancellationToken ct) => _lossyWake.WaitAsync(ct);

    /// <summary>
    /// Sends what changed, as long as the browser has acknowledged enough frames; otherwise the
    /// changes keep merging in the tracker. Then asks the target for more, if the browser keeps up.
    /// </summary>
    private async Task SendFramesAsync()
    {
        var fb = _framebuffer();
        if (fb is null) return;
        while (_flow.CanSend && _tracker.TryTakeUpdate(out var update))
        {
            _encoder.Encode(fb, update, _frame, Now);
            if (_frame.Copies.IsEmpty && _frame.Tiles.IsEmpty)
            {
                continue; // every damaged tile was already on the browser's canvas
            }
            var frameId = _flow.BeginFrame(_frame.ImageBytes);
            for (var i = 0; i < _frame.Copies.Length; i++)
            {
                var c = _frame.Copies.Span[i];
                await _browser.SendAsync(new CopyRectMessage((uint)c.Source.X, (uint)c.Source.Y, (uint)c.Source.Width, (uint)c.Source.Height, (uint)c.Dx, (uint)c.Dy)).ConfigureAwait(false);
            }
            for (var i = 0; i < _frame.Tiles.Length; i++)
            {
                var tile = _frame.Tiles.Span[i];
                var a = tile.Area;
                byte[] header;
                if (tile.Format == EncodedTileFormat.Jpeg)
                {
                    header = _jpegHeader;
                    JpegFrameMessage.WriteHeader(header, (uint)a.X, (uint)a.Y, (uint)a.Right, (uint)a.Bottom, tile.Data.Length);
                }
                else
                {
                    header = _pngHeader;
                    PngFrame2Message.WriteHeader(header, (uint)a.X, (uint)a.Y, (uint)a.Right, (uint)a.Bottom, tile.Data.Length);
                }
                await _browser.SendFragmentedAsync(header, tile.Data).ConfigureAwait(false);
            }
            await _browser.SendAsync(new FrameMarkerMessage(frameId)).ConfigureAwait(false);
            _live.AddFrame();
        }
        if (_encoder.LossyCells > 0 && _lossyWake.CurrentCount == 0)
        {
            _lossyWake.Release(); // the refinement loop sleeps until something is lossy
        }
        if (WantsUpdate)
        {
            _requestUpdate();
            _updatePending = true;
        }
    }

    public void Dispose()
    {
        _frame.Dispose();
        _lossyWake.Dispose();
    }
}
