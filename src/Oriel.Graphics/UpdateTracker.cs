namespace Oriel.Graphics;

/// <summary>
/// Desktop-surface bookkeeping: records what the engine did to the framebuffer since the viewer's
/// last update (damage, copies, resizes) and hands out the ordered operations that bring the viewer
/// up to date: copies first, then damaged rectangles to send with current pixels.
/// </summary>
/// <remarks>
/// <para>Invariant: applying the pending copies, in order, to the viewer's screen as of the last
/// update gives the current framebuffer everywhere outside the pending damage. Each operation keeps
/// it true: damage inside a copy's source moves with the copy; damage the copy overwrites is
/// dropped; a copy merges into the previous one when the two compose into one copy plus a little
/// damage (repeated scrolling); a copy whose destination is already all damage is dropped; past
/// <see cref="MaxCopies"/> a copy becomes damage at its destination.</para>
/// <para>Memory is fixed however many operations arrive between takes, so a slow viewer gets fewer,
/// merged updates instead of a queue. A new tracker starts with the whole screen dirty and
/// <see cref="DesktopUpdate.SizeChanged"/> set. Not thread-safe.</para>
/// </remarks>
public sealed class UpdateTracker
{
    /// <summary>Default bound on pending copies.</summary>
    public const int DefaultMaxCopies = 8;

    private readonly DamageRegion _damage;
    private readonly DamageRegion _moved;
    private readonly CopyOperation[] _copies;
    private readonly CopyOperation[] _outCopies;
    private readonly Rect[] _outDamage;
    private readonly Rect[] _pieces = new Rect[8];
    private int _copyCount;
    private bool _sizeChanged;

    public UpdateTracker(int width, int height, int maxDamageRects = DamageRegion.DefaultMaxRects, int maxCopies = DefaultMaxCopies)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCopies, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCopies, 1024);
        _damage = new DamageRegion(maxDamageRects);
        _moved = new DamageRegion(maxDamageRects);
        MaxCopies = maxCopies;
        _copies = new CopyOperation[maxCopies];
        _outCopies = new CopyOperation[maxCopies];
        _outDamage = new Rect[maxDamageRects];
        Resize(width, height);
    }

    public int Width { get; private set; }
    public int Height { get; private set; }
    public Rect Bounds => new(0, 0, Width, Height);

    /// <summary>Most copies kept pending; further copies become damage.</summary>
    public int MaxCopies { get; }

    /// <summary>True when there is something to send.</summary>
    public bool HasPendingUpdate => _sizeChanged || _copyCount > 0 || !_damage.IsEmpty;

    /// <summary>The pending damage (read-only view for diagnostics and tests).</summary>
    public ReadOnlySpan<Rect> PendingDamage => _damage.Rects;

    /// <summary>The pending copies, in order.</summary>
    public ReadOnlySpan<CopyOperation> PendingCopies => _copies.AsSpan(0, _copyCount);

    /// <summary>The engine changed the pixels of <paramref name="r"/> (clipped to the screen).</summary>
    public void AddDamage(Rect r)
    {
        r = r.Intersect(Bounds);
        if (!r.IsEmpty) _damage.Add(r);
    }

    /// <summary>Marks the whole screen dirty (a viewer asked for a full refresh); pending copies become pointless and are dropped.</summary>
    public void InvalidateAll()
    {
        _copyCount = 0;
        _damage.Clear();
        _damage.Add(Bounds);
    }

    /// <summary>
    /// The engine copied <paramref name="source"/> to the rectangle at (<paramref name="dx"/>,
    /// <paramref name="dy"/>), as <see cref="Framebuffer.CopyRect"/> does. A copy reaching outside the
    /// screen is recorded as damage at its (clipped) destination.
    /// </summary>
    public void AddCopy(Rect source, int dx, int dy)
    {
        if (source.IsEmpty) return;
        var dest = new Rect(dx, dy, source.Width, source.Height);
        if (dest == source) return;
        var bounds = Bounds;
        if (!bounds.Contains(source) || !bounds.Contains(dest))
        {
            AddDamage(dest);
            return;
        }
        var ox = dx - source.X;
        var oy = dy - source.Y;

        // Pending damage inside the source travels with the pixels; damage under the destination is overwritten.
        _moved.Clear();
        _damage.CopyIntersectionTo(source, ox, oy, _moved);
        _damage.Subtract(dest);
        _damage.AddRegion(_moved);

        // The viewer would overwrite all of the destination with fresh pixels anyway.
        if (_damage.Covers(dest)) return;

        if (_copyCount > 0 && TryMergeWithLast(source, ox, oy, dest)) return;

        if (_copyCount == MaxCopies)
        {
            _damage.Add(dest);
            return;
        }
        _copies[_copyCount++] = new CopyOperation(source, dx, dy);
    }

    /// <summary>The screen changed size: everything pending is dropped and the whole new screen is dirty.</summary>
    public void Resize(int width, int height)
    {
        if (!Framebuffer.IsValidSize(width, height))
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"screen size {width}x{height} is invalid");
        }
        Width = width;
        Height = height;
        _sizeChanged = true;
        InvalidateAll();
    }

    /// <summary>
    /// Takes everything pending as one update and starts afresh. Returns false (and an empty update)
    /// when nothing is pending. The update's memory stays valid until the next call.
    /// </summary>
    public bool TryTakeUpdate(out DesktopUpdate update)
    {
        if (!HasPendingUpdate)
        {
            update = new DesktopUpdate(Width, Height, false, ReadOnlyMemory<CopyOperation>.Empty, ReadOnlyMemory<Rect>.Empty);
            return false;
        }
        _copies.AsSpan(0, _copyCount).CopyTo(_outCopies);
        var damage = _damage.Rects;
        damage.CopyTo(_outDamage);
        update = new DesktopUpdate(Width, Height, _sizeChanged, _outCopies.AsMemory(0, _copyCount), _outDamage.AsMemory(0, damage.Length));
        _copyCount = 0;
        _damage.Clear();
        _sizeChanged = false;
        return true;
    }

    /// <summary>
    /// Tries to replace the last pending copy A and the new copy B by one copy M plus damage.
    /// M moves the part of B's source that A wrote, straight from A's source. The viewer's screen
    /// after M differs from the one after A then B only in (A.dest - B.dest) and (B.dest - M.dest),
    /// which become damage. Worth it when that damage is small or already pending.
    /// </summary>
    private bool TryMergeWithLast(Rect source, int ox, int oy, Rect dest)
    {
        var last = _copies[_copyCount - 1];
        var lastDest = last.Destination;
        var inner = source.Intersect(lastDest);
        if (inner.IsEmpty) return false;
        var mergedSource = inner.Offset(-last.OffsetX, -last.OffsetY);
        var mergedDest = inner.Offset(ox, oy);

        long extra = 0;
        var pieces = _pieces.AsSpan();
        var n = RectMath.Subtract(lastDest, dest, pieces);
        n += RectMath.Subtract(dest, mergedDest, pieces[n..]);
        for (var i = 0; i < n; i++)
        {
            if (!_damage.Covers(pieces[i])) extra += pieces[i].Area;
        }
        if (extra * 4 > mergedDest.Area) return false;

        for (var i = 0; i < n; i++) _damage.Add(pieces[i]);
        if (mergedSource == mergedDest || _damage.Covers(mergedDest))
        {
            _copyCount--; // the two copies cancel out (scroll down then up), or all of it is resent anyway
        }
        else
        {
            _copies[_copyCount - 1] = new CopyOperation(mergedSource, mergedDest.X, mergedDest.Y);
        }
        return true;
    }
}
