namespace Oriel.Graphics.Tests;

public class UpdateTrackerTests
{
    [Fact]
    public void New_tracker_reports_size_and_whole_screen_then_nothing()
    {
        var t = new UpdateTracker(640, 480);
        Assert.True(t.TryTakeUpdate(out var u));
        Assert.True(u.SizeChanged);
        Assert.Equal((640, 480), (u.Width, u.Height));
        Assert.Equal([new Rect(0, 0, 640, 480)], u.Damage.ToArray());
        Assert.True(u.Copies.IsEmpty);
        Assert.False(t.TryTakeUpdate(out u));
        Assert.True(u.IsEmpty);
    }

    [Fact]
    public void Copies_come_first_then_damage_and_damage_is_clipped()
    {
        var t = Taken(100, 100);
        t.AddCopy(new Rect(0, 10, 100, 90), 0, 0);
        t.AddDamage(new Rect(0, 90, 200, 50));
        Assert.True(t.TryTakeUpdate(out var u));
        Assert.Equal([new CopyOperation(new Rect(0, 10, 100, 90), 0, 0)], u.Copies.ToArray());
        Assert.Equal([new Rect(0, 90, 100, 10)], u.Damage.ToArray());
        Assert.False(u.SizeChanged);
    }

    [Fact]
    public void Damage_inside_a_copy_source_moves_with_it_and_overwritten_damage_is_dropped()
    {
        var t = Taken(200, 200);
        t.AddDamage(new Rect(10, 10, 5, 5)); // inside the source
        t.AddDamage(new Rect(150, 150, 5, 5)); // under the destination only
        t.AddCopy(new Rect(0, 0, 50, 50), 140, 140);
        Assert.True(t.TryTakeUpdate(out var u));
        Assert.Single(u.Copies.ToArray());
        var damage = u.Damage.ToArray();
        Assert.Contains(new Rect(10, 10, 5, 5), damage); // the pixels there are still new
        Assert.Contains(new Rect(150, 150, 5, 5), damage); // moved copy of the pending damage
        Assert.Equal(2, damage.Length);
    }

    [Fact]
    public void Repeated_scrolls_collapse_into_one_copy_and_a_band_of_damage()
    {
        const int w = 640, h = 480, line = 16;
        var t = Taken(w, h);
        for (var i = 0; i < 10; i++)
        {
            t.AddCopy(new Rect(0, line, w, h - line), 0, 0);
            t.AddDamage(new Rect(0, h - line, w, line));
        }
        Assert.True(t.TryTakeUpdate(out var u));
        Assert.Equal([new CopyOperation(new Rect(0, 10 * line, w, h - (10 * line)), 0, 0)], u.Copies.ToArray());
        Assert.Equal([new Rect(0, h - (10 * line), w, 10 * line)], u.Damage.ToArray());
    }

    [Fact]
    public void Scroll_down_then_up_cancels_out()
    {
        var t = Taken(300, 300);
        t.AddCopy(new Rect(0, 20, 300, 280), 0, 0);
        t.AddCopy(new Rect(0, 0, 300, 280), 0, 20);
        Assert.True(t.TryTakeUpdate(out var u));
        Assert.True(u.Copies.IsEmpty);
        Assert.Equal([new Rect(0, 0, 300, 20)], u.Damage.ToArray()); // the top band lost by the first scroll
    }

    [Fact]
    public void Copies_beyond_the_limit_become_damage_and_copies_into_damage_are_dropped()
    {
        var t = new UpdateTracker(1000, 1000, maxCopies: 2);
        t.TryTakeUpdate(out _);
        t.AddCopy(new Rect(0, 0, 10, 10), 100, 0);
        t.AddCopy(new Rect(0, 0, 10, 10), 200, 0);
        t.AddCopy(new Rect(0, 0, 10, 10), 300, 0);
        Assert.Equal(2, t.PendingCopies.Length);
        Assert.Equal([new Rect(300, 0, 10, 10)], t.PendingDamage.ToArray());

        t.InvalidateAll();
        t.AddCopy(new Rect(0, 0, 10, 10), 500, 500);
        Assert.True(t.PendingCopies.IsEmpty);
    }

    [Fact]
    public void Out_of_screen_copy_and_resize()
    {
        var t = Taken(100, 100);
        t.AddCopy(new Rect(90, 90, 20, 20), 0, 0);
        Assert.True(t.PendingCopies.IsEmpty);
        Assert.Equal([new Rect(0, 0, 20, 20)], t.PendingDamage.ToArray());
        t.Resize(50, 60);
        Assert.True(t.TryTakeUpdate(out var u));
        Assert.True(u.SizeChanged);
        Assert.Equal([new Rect(0, 0, 50, 60)], u.Damage.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Resize(0, 10));
    }

    [Fact]
    public void Memory_is_bounded_under_a_flood_of_operations()
    {
        var rng = new Random(5);
        var t = new UpdateTracker(1920, 1080, maxDamageRects: 32, maxCopies: 4);
        for (var i = 0; i < 100_000; i++)
        {
            if (rng.Next(4) == 0) t.AddCopy(new Rect(rng.Next(1800), rng.Next(1000), 100, 50), rng.Next(1800), rng.Next(1000));
            else t.AddDamage(new Rect(rng.Next(1920), rng.Next(1080), rng.Next(1, 40), rng.Next(1, 40)));
            Assert.True(t.PendingDamage.Length <= 32);
            Assert.True(t.PendingCopies.Length <= 4);
        }
    }

    /// <summary>
    /// The key property: a viewer that applies every update (copies in order, then the damage with
    /// the server's current pixels) always ends up with exactly the server's framebuffer, whatever
    /// mix of drawing, copying, scrolling and resizing happened between takes.
    /// </summary>
    [Theory]
    [InlineData(1, 64, 8)]
    [InlineData(2, 4, 2)]
    [InlineData(3, 1, 1)]
    [InlineData(4, 16, 0)]
    [InlineData(5, 64, 16)]
    public void Simulated_viewer_always_matches_the_server(int seed, int maxRects, int maxCopies)
    {
        var rng = new Random(seed);
        int w = 97, h = 61;
        var server = TestImages.Noise(w, h, seed);
        var client = new Framebuffer(1, 1);
        var tracker = new UpdateTracker(w, h, maxRects, maxCopies);
        long sentPixels = 0, changedPixels = 0;
        Sync(server, client, tracker, ref sentPixels);
        for (var step = 0; step < 20_000; step++)
        {
            switch (rng.Next(12))
            {
                case < 4:
                {
                    var r = RandomRect(rng, w, h);
                    var pixels = new uint[r.Width * r.Height];
                    for (var i = 0; i < pixels.Length; i++) pixels[i] = (uint)rng.Next() & 0xFFFFFF;
                    server.Write(r, pixels);
                    tracker.AddDamage(r);
                    changedPixels += r.Area;
                    break;
                }
                case < 7:
                {
                    var r = RandomRect(rng, w, h);
                    var dx = rng.Next(0, w - r.Width + 1);
                    var dy = rng.Next(0, h - r.Height + 1);
                    server.CopyRect(r, dx, dy);
                    tracker.AddCopy(r, dx, dy);
                    break;
                }
                case < 9:
                {
                    // Scroll the whole screen or a region up or down, then draw the new lines.
                    var top = rng.Next(0, h / 2);
                    var bottom = rng.Next(top + 4, h + 1);
                    var amount = rng.Next(1, 4);
                    var up = rng.Next(2) == 0;
                    var src = up ? Rect.FromEdges(0, top + amount, w, bottom) : Rect.FromEdges(0, top, w, bottom - amount);
                    var dy = up ? top : top + amount;
                    server.CopyRect(src, 0, dy);
                    tracker.AddCopy(src, 0, dy);
                    var band = up ? Rect.FromEdges(0, bottom - amount, w, bottom) : Rect.FromEdges(0, top, w, top + amount);
                    server.Fill(band, (uint)rng.Next() & 0xFFFFFF);
                    tracker.AddDamage(band);
                    break;
                }
                case < 11:
                    Sync(server, client, tracker, ref sentPixels);
                    break;
                default:
                    if (rng.Next(50) == 0)
                    {
                        w = rng.Next(20, 120);
                        h = rng.Next(20, 80);
                        server.Resize(w, h);
                        tracker.Resize(w, h);
                    }
                    break;
            }
        }
        Sync(server, client, tracker, ref sentPixels);
        // Sanity: with room to work, the tracker is not just resending the whole screen every time.
        if (maxRects >= 4 && maxCopies >= 2) Assert.True(sentPixels < changedPixels * 3, $"sent {sentPixels} pixels for {changedPixels} changed");
    }

    private static void Sync(Framebuffer server, Framebuffer client, UpdateTracker tracker, ref long sentPixels)
    {
        if (tracker.TryTakeUpdate(out var u))
        {
            if (u.SizeChanged) client.Resize(u.Width, u.Height);
            foreach (var c in u.Copies.Span) c.ApplyTo(client);
            foreach (var r in u.Damage.Span)
            {
                Assert.True(server.Contains(r));
                client.Write(r, TestImages.Read(server, r));
                sentPixels += r.Area;
            }
        }
        Assert.Equal((server.Width, server.Height), (client.Width, client.Height));
        Assert.True(server.Pixels.SequenceEqual(client.Pixels), "viewer diverged from the server");
    }

    private static Rect RandomRect(Random rng, int w, int h)
    {
        var rw = rng.Next(1, (w / 2) + 1);
        var rh = rng.Next(1, (h / 2) + 1);
        return new Rect(rng.Next(0, w - rw + 1), rng.Next(0, h - rh + 1), rw, rh);
    }

    private static UpdateTracker Taken(int w, int h)
    {
        var t = new UpdateTracker(w, h);
        t.TryTakeUpdate(out _);
        return t;
    }
}
