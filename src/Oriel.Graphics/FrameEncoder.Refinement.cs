namespace Oriel.Graphics;

/// <summary>Lossless refinement: which hash cells the viewer shows from a JPEG, and re-sending them as PNG once quiet.</summary>
public sealed partial class FrameEncoder
{
    private bool[] _lossy = [];        // per hash cell: the viewer's pixels there may be approximate
    private bool[] _refine = [];       // per hash cell: re-damaged by RequestRefinement, to be sent as PNG
    private TimeSpan[] _lastSent = []; // per hash cell: when a tile (or a copy) last wrote it
    private bool[] _tilePngOnly = [];  // per tile, during Encode: holds a cell being refined
    private int _lossyCount;
    private int _refineCount;

    /// <summary>Number of hash cells the viewer shows (partly) from a JPEG.</summary>
    public int LossyCells => _lossyCount;

    /// <summary>
    /// When the next lossy cell becomes quiet enough to refine (a time on the caller's clock as passed
    /// to <see cref="Encode(Framebuffer, in DesktopUpdate, EncodedFrame, TimeSpan)"/>), or null when no
    /// cell is waiting for refinement. Cells already requested and not yet encoded do not count.
    /// </summary>
    public TimeSpan? NextRefinementDue
    {
        get
        {
            if (_lossyCount == _refineCount) return null;
            TimeSpan? due = null;
            var n = _cells.Count;
            for (var i = 0; i < n; i++)
            {
                if (!_lossy[i] || _refine[i]) continue;
                if (due is not { } d || _lastSent[i] < d) due = _lastSent[i];
            }
            return due + _options.RefineDelay;
        }
    }

    /// <summary>
    /// Asks for lossless refinement: every lossy cell no tile has touched for
    /// <see cref="FrameEncoderOptions.RefineDelay"/> before <paramref name="now"/> is added as damage to
    /// <paramref name="tracker"/> (the viewer's tracker, of the same screen size) and flagged, so that
    /// the next <see cref="Encode(Framebuffer, in DesktopUpdate, EncodedFrame, TimeSpan)"/> sends it as
    /// PNG even though its pixels did not change. Returns the number of cells requested (0: nothing to do,
    /// or the tracker's screen size differs, in which case a resize will resend everything anyway).
    /// </summary>
    public int RequestRefinement(TimeSpan now, UpdateTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        if (_lossyCount == _refineCount || tracker.Width != _width || tracker.Height != _height) return 0;
        var requested = 0;
        var size = _cells.Size;
        var columns = _cells.Columns;
        var rows = _cells.Count / columns;
        for (var cy = 0; cy < rows; cy++)
        {
            var runStart = -1;
            for (var cx = 0; cx <= columns; cx++)
            {
                var due = false;
                if (cx < columns)
                {
                    var cell = (cy * columns) + cx;
                    if (_lossy[cell] && !_refine[cell] && now - _lastSent[cell] >= _options.RefineDelay)
                    {
                        _refine[cell] = true;
                        _refineCount++;
                        requested++;
                        due = true;
                    }
                }
                if (due && runStart < 0)
                {
                    runStart = cx;
                }
                else if (!due && runStart >= 0)
                {
                    // One damage rectangle per run of due cells in a row; the tracker clips it to the screen.
                    tracker.AddDamage(new Rect(runStart * size, cy * size, (cx - runStart) * size, size));
                    runStart = -1;
                }
            }
        }
        return requested;
    }

    /// <summary>True when the viewer's pixel at (<paramref name="x"/>, <paramref name="y"/>) may be approximate (for tests).</summary>
    internal bool IsLossyAt(int x, int y) =>
        x >= 0 && y >= 0 && x < _width && y < _height && _lossy[_cells.IndexOf(x, y)];

    /// <summary>Bookkeeping after a tile over <paramref name="box"/> was sent; returns how many refinement requests it completed.</summary>
    private int MarkSent(Rect box, EncodedTileFormat format, TimeSpan now)
    {
        var refined = 0;
        var size = _cells.Size;
        for (var cy = box.Y / size; cy <= (box.Bottom - 1) / size; cy++)
        {
            for (var cx = box.X / size; cx <= (box.Right - 1) / size; cx++)
            {
                var cell = (cy * _cells.Columns) + cx;
                _lastSent[cell] = now;
                if (format == EncodedTileFormat.Jpeg)
                {
                    SetLossy(cell, true);
                }
                else if (box.Contains(_cells.CellRect(cell)))
                {
                    SetLossy(cell, false);
                }
                if (_refine[cell])
                {
                    _refine[cell] = false;
                    _refineCount--;
                    refined++;
                }
            }
        }
        return refined;
    }

    /// <summary>
    /// A copy on the viewer moves its pixels, approximate ones included: the cells it writes become lossy
    /// when any cell it reads is.
    /// </summary>
    private void CopyLossy(CopyOperation copy, TimeSpan now)
    {
        if (_lossyCount == 0) return;
        var screen = new Rect(0, 0, _width, _height);
        var source = copy.Source.Intersect(screen);
        var dest = copy.Destination.Intersect(screen);
        if (source.IsEmpty || dest.IsEmpty || !AnyLossy(source)) return;
        var size = _cells.Size;
        for (var cy = dest.Y / size; cy <= (dest.Bottom - 1) / size; cy++)
        {
            for (var cx = dest.X / size; cx <= (dest.Right - 1) / size; cx++)
            {
                var cell = (cy * _cells.Columns) + cx;
                SetLossy(cell, true);
                _lastSent[cell] = now;
            }
        }
    }

    private bool AnyLossy(Rect r)
    {
        var size = _cells.Size;
        for (var cy = r.Y / size; cy <= (r.Bottom - 1) / size; cy++)
        {
            for (var cx = r.X / size; cx <= (r.Right - 1) / size; cx++)
            {
                if (_lossy[(cy * _cells.Columns) + cx]) return true;
            }
        }
        return false;
    }

    private void SetLossy(int cell, bool lossy)
    {
        if (_lossy[cell] == lossy) return;
        _lossy[cell] = lossy;
        _lossyCount += lossy ? 1 : -1;
    }

    /// <summary>
    /// Requests whose damage did not reach this update (a copy overwrote it) are dropped; the cells stay
    /// lossy and are due again at once.
    /// </summary>
    private void EndRefinement()
    {
        if (_refineCount == 0) return;
        Array.Clear(_refine);
        _refineCount = 0;
    }

    private void ForgetLossy()
    {
        Array.Clear(_lossy);
        Array.Clear(_refine);
        _lossyCount = 0;
        _refineCount = 0;
    }
}
