namespace Oriel.Graphics.Tests;

public class DamageRegionTests
{
    [Fact]
    public void Adjacent_rects_in_a_row_merge_into_one()
    {
        var d = new DamageRegion();
        for (var x = 0; x < 80; x += 8) d.Add(new Rect(x, 16, 8, 16)); // characters typed along a line
        Assert.Equal(1, d.Count);
        Assert.Equal(new Rect(0, 16, 80, 16), d.Rects[0]);
    }

    [Fact]
    public void Stacked_rects_merge_and_contained_rects_are_dropped()
    {
        var d = new DamageRegion();
        d.Add(new Rect(10, 10, 20, 5));
        d.Add(new Rect(10, 15, 20, 5));
        d.Add(new Rect(12, 12, 3, 3)); // inside
        Assert.Equal([new Rect(10, 10, 20, 10)], d.Rects.ToArray());
        d.Add(new Rect(0, 0, 100, 100)); // swallows everything
        Assert.Equal([new Rect(0, 0, 100, 100)], d.Rects.ToArray());
    }

    [Fact]
    public void Distant_rects_stay_separate_and_empty_rects_are_ignored()
    {
        var d = new DamageRegion();
        d.Add(new Rect(0, 0, 10, 10));
        d.Add(new Rect(500, 500, 10, 10));
        d.Add(new Rect(5, 5, 0, 10));
        d.Add(default);
        Assert.Equal(2, d.Count);
        Assert.Equal(200, d.Area);
        Assert.Equal(new Rect(0, 0, 510, 510), d.Bounds);
        d.Clear();
        Assert.True(d.IsEmpty);
    }

    [Fact]
    public void Past_the_cap_the_cheapest_pair_merges()
    {
        var d = new DamageRegion(maxRects: 3);
        d.Add(new Rect(0, 0, 10, 10));
        d.Add(new Rect(1000, 0, 10, 10));
        d.Add(new Rect(0, 1000, 10, 10));
        d.Add(new Rect(0, 20, 10, 10)); // closest to the first: merging those two wastes least
        Assert.Equal(3, d.Count);
        Assert.Contains(new Rect(0, 0, 10, 30), d.Rects.ToArray());
    }

    [Fact]
    public void Bounded_however_much_is_added_and_always_covers_what_was_added()
    {
        const int w = 200, h = 150;
        var rng = new Random(42);
        var d = new DamageRegion(maxRects: 16);
        var truth = new bool[w * h];
        for (var i = 0; i < 5000; i++)
        {
            var r = RandomRect(rng, w, h, 30);
            d.Add(r);
            Mark(truth, w, r, true);
            Assert.True(d.Count <= 16);
            if (i % 250 == 0) AssertCovers(d, truth, w, h);
        }
        AssertCovers(d, truth, w, h);
    }

    [Fact]
    public void Subtract_removes_exactly_when_not_under_pressure()
    {
        var d = new DamageRegion();
        d.Add(new Rect(0, 0, 30, 30));
        d.Subtract(new Rect(10, 10, 10, 10)); // a hole: four pieces
        Assert.Equal(4, d.Count);
        Assert.Equal(800, d.Area);
        Assert.False(d.Intersects(new Rect(10, 10, 10, 10)));
        Assert.True(d.Covers(new Rect(0, 0, 30, 10)));
        d.Subtract(new Rect(-5, -5, 100, 100));
        Assert.True(d.IsEmpty);
    }

    [Fact]
    public void Random_subtract_keeps_everything_outside_the_hole()
    {
        const int w = 120, h = 90;
        var rng = new Random(3);
        for (var round = 0; round < 200; round++)
        {
            var d = new DamageRegion(maxRects: 8);
            var truth = new bool[w * h];
            for (var i = 0; i < rng.Next(1, 20); i++)
            {
                var r = RandomRect(rng, w, h, 40);
                d.Add(r);
                Mark(truth, w, r, true);
            }
            var hole = RandomRect(rng, w, h, 60);
            d.Subtract(hole);
            Mark(truth, w, hole, false);
            AssertCovers(d, truth, w, h);
            Assert.True(d.Count <= 8);
        }
    }

    [Fact]
    public void Translate_intersect_and_copy_intersection()
    {
        var d = new DamageRegion();
        d.Add(new Rect(0, 0, 10, 10));
        d.Add(new Rect(50, 50, 10, 10));
        d.Translate(5, -5);
        Assert.Equal([new Rect(5, -5, 10, 10), new Rect(55, 45, 10, 10)], d.Rects.ToArray());
        d.Intersect(new Rect(0, 0, 60, 60));
        Assert.Equal([new Rect(5, 0, 10, 5), new Rect(55, 45, 5, 10)], d.Rects.ToArray());
        var moved = new DamageRegion();
        d.CopyIntersectionTo(new Rect(0, 0, 20, 20), 100, 0, moved);
        Assert.Equal([new Rect(105, 0, 10, 5)], moved.Rects.ToArray());
    }

    internal static Rect RandomRect(Random rng, int w, int h, int maxSide)
    {
        var rw = rng.Next(1, maxSide);
        var rh = rng.Next(1, maxSide);
        return new Rect(rng.Next(-5, w), rng.Next(-5, h), rw, rh).Intersect(new Rect(0, 0, w, h));
    }

    private static void Mark(bool[] truth, int w, Rect r, bool value)
    {
        r = r.Intersect(new Rect(0, 0, w, truth.Length / w));
        for (var y = r.Y; y < r.Bottom; y++)
        {
            truth.AsSpan((y * w) + r.X, r.Width).Fill(value);
        }
    }

    private static void AssertCovers(DamageRegion d, bool[] truth, int w, int h)
    {
        var covered = new bool[w * h];
        foreach (var r in d.Rects) Mark(covered, w, r, true);
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] && !covered[i]) Assert.Fail($"pixel ({i % w},{i / w}) was added but is not covered");
        }
    }
}
