namespace Oriel.Graphics;

/// <summary>
/// A set of dirty rectangles with a bounded count. It over-approximates: every pixel ever added
/// (and not explicitly subtracted) is covered, and some clean pixels may be covered too. Adding a
/// rectangle drops rectangles it contains, merges it with neighbours when the bounding box wastes
/// little, and past <see cref="MaxRects"/> merges the pair whose union wastes least. Memory is
/// fixed at construction, however much is added. Not thread-safe.
/// </summary>
public sealed class DamageRegion
{
    /// <summary>Default bound on the number of rectangles.</summary>
    public const int DefaultMaxRects = 64;

    private readonly Rect[] _rects;
    private readonly Rect[] _scratch;
    private int _count;

    public DamageRegion(int maxRects = DefaultMaxRects)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRects, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRects, 4096);
        MaxRects = maxRects;
        _rects = new Rect[maxRects + 1];
        _scratch = new Rect[(maxRects * 4) + 4];
    }

    /// <summary>The most rectangles this region holds at once.</summary>
    public int MaxRects { get; }

    /// <summary>Number of rectangles.</summary>
    public int Count => _count;

    public bool IsEmpty => _count == 0;

    /// <summary>The rectangles (none empty; they may overlap). Valid until the next mutation.</summary>
    public ReadOnlySpan<Rect> Rects => _rects.AsSpan(0, _count);

    /// <summary>Bounding box of all rectangles (empty when the region is empty).</summary>
    public Rect Bounds
    {
        get
        {
            var b = default(Rect);
            for (var i = 0; i < _count; i++) b = b.Union(_rects[i]);
            return b;
        }
    }

    /// <summary>Sum of the rectangles' areas (counts overlaps twice; an upper bound of the covered area).</summary>
    public long Area
    {
        get
        {
            long a = 0;
            for (var i = 0; i < _count; i++) a += _rects[i].Area;
            return a;
        }
    }

    public void Clear() => _count = 0;

    /// <summary>Adds a rectangle (empty rectangles are ignored).</summary>
    public void Add(Rect r)
    {
        if (r.IsEmpty) return;
        var i = 0;
        while (i < _count)
        {
            var e = _rects[i];
            if (e.Contains(r)) return;
            if (r.Contains(e))
            {
                RemoveAt(i);
                continue;
            }
            if (Touches(e, r) && Waste(e, r) * 4 <= e.Union(r).Area)
            {
                r = e.Union(r);
                RemoveAt(i);
                i = 0; // r grew: it may now swallow or merge with earlier rectangles
                continue;
            }
            i++;
        }
        _rects[_count++] = r;
        if (_count > MaxRects) MergeCheapestPair();
    }

    /// <summary>Adds every rectangle of <paramref name="other"/>.</summary>
    public void AddRegion(DamageRegion other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this)) return;
        foreach (var r in other.Rects) Add(r);
    }

    /// <summary>True when some single rectangle of the region contains <paramref name="r"/> (a conservative coverage test).</summary>
    public bool Covers(Rect r)
    {
        if (r.IsEmpty) return true;
        for (var i = 0; i < _count; i++)
        {
            if (_rects[i].Contains(r)) return true;
        }
        return false;
    }

    /// <summary>True when any rectangle of the region overlaps <paramref name="r"/>.</summary>
    public bool Intersects(Rect r)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_rects[i].Intersects(r)) return true;
        }
        return false;
    }

    /// <summary>Removes <paramref name="r"/> from the region. The result may still cover some of <paramref name="r"/> if the bound forces merges.</summary>
    public void Subtract(Rect r)
    {
        if (r.IsEmpty || !Intersects(r)) return;
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            var e = _rects[i];
            n += RectMath.Subtract(e, r, _scratch.AsSpan(n));
        }
        Rebuild(n);
    }

    /// <summary>Keeps only the parts inside <paramref name="clip"/>.</summary>
    public void Intersect(Rect clip)
    {
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            var x = _rects[i].Intersect(clip);
            if (!x.IsEmpty) _rects[n++] = x;
        }
        _count = n;
    }

    /// <summary>Moves every rectangle by (<paramref name="dx"/>, <paramref name="dy"/>).</summary>
    public void Translate(int dx, int dy)
    {
        for (var i = 0; i < _count; i++) _rects[i] = _rects[i].Offset(dx, dy);
    }

    /// <summary>Adds the parts of this region inside <paramref name="source"/>, moved by (<paramref name="dx"/>, <paramref name="dy"/>), to <paramref name="target"/>.</summary>
    public void CopyIntersectionTo(Rect source, int dx, int dy, DamageRegion target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (ReferenceEquals(target, this)) throw new ArgumentException("target must be another region", nameof(target));
        for (var i = 0; i < _count; i++)
        {
            var x = _rects[i].Intersect(source);
            if (!x.IsEmpty) target.Add(x.Offset(dx, dy));
        }
    }

    private void Rebuild(int scratchCount)
    {
        _count = 0;
        for (var i = 0; i < scratchCount; i++) Add(_scratch[i]);
    }

    private void RemoveAt(int i)
    {
        _rects[i] = _rects[_count - 1];
        _count--;
    }

    private void MergeCheapestPair()
    {
        var bestA = 0;
        var bestB = 1;
        var bestWaste = long.MaxValue;
        for (var a = 0; a < _count - 1; a++)
        {
            for (var b = a + 1; b < _count; b++)
            {
                var w = Waste(_rects[a], _rects[b]);
                if (w < bestWaste)
                {
                    bestWaste = w;
                    bestA = a;
                    bestB = b;
                }
            }
        }
        var merged = _rects[bestA].Union(_rects[bestB]);
        RemoveAt(bestB); // bestB > bestA, so bestA keeps its index unless it was the last (it is not)
        RemoveAt(bestA);
        // Re-add through Add so rectangles the union now contains are dropped.
        Add(merged);
    }

    /// <summary>True when the rectangles overlap or share an edge (corner contact counts too).</summary>
    private static bool Touches(Rect a, Rect b) => a.X <= b.Right && b.X <= a.Right && a.Y <= b.Bottom && b.Y <= a.Bottom;

    /// <summary>Pixels the bounding box of a and b covers that neither a nor b does.</summary>
    private static long Waste(Rect a, Rect b)
    {
        var covered = a.Area + b.Area - a.Intersect(b).Area;
        return a.Union(b).Area - covered;
    }
}
