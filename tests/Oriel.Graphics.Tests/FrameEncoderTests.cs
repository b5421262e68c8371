namespace Oriel.Graphics.Tests;

public class FrameEncoderTests
{
    [Fact]
    public void Damage_is_cut_along_the_grid_and_each_tile_decodes_to_its_pixels()
    {
        var fb = TestImages.Desktop(300, 200, 1);
        var tracker = new UpdateTracker(300, 200);
        var encoder = new FrameEncoder(new FrameEncoderOptions { TileSize = 64 });
        using var frame = new EncodedFrame();
        Assert.True(tracker.TryTakeUpdate(out var u));
        encoder.Encode(fb, u, frame);
        Assert.True(frame.SizeChanged);
        Assert.Equal(5 * 4, frame.Tiles.Length); // 300x200 on a 64 grid
        var covered = new int[300 * 200];
        foreach (var tile in frame.Tiles.Span)
        {
            Assert.True(tile.Area.Width <= 64 && tile.Area.Height <= 64);
            Assert.Equal(tile.Area.X / 64, (tile.Area.Right - 1) / 64);
            var img = PngTestDecoder.Decode(tile.Data.Span);
            Assert.Equal(TestImages.Read(fb, tile.Area), img.Pixels);
            for (var y = tile.Area.Y; y < tile.Area.Bottom; y++)
            {
                for (var x = tile.Area.X; x < tile.Area.Right; x++) covered[(y * 300) + x]++;
            }
        }
        Assert.All(covered, c => Assert.Equal(1, c));
        Assert.Equal(frame.Tiles.ToArray().Sum(t => t.Data.Length), frame.PngBytes);
    }

    [Fact]
    public void Small_damage_gives_a_tile_of_its_bounding_box_in_each_cell()
    {
        var fb = TestImages.Noise(256, 256, 2);
        var tracker = Taken(fb);
        var encoder = new FrameEncoder(new FrameEncoderOptions { TileSize = 128 });
        using var frame = new EncodedFrame();
        tracker.AddDamage(new Rect(10, 10, 8, 16));
        tracker.AddDamage(new Rect(40, 30, 8, 16));
        tracker.AddDamage(new Rect(120, 10, 20, 4)); // straddles two cells
        Assert.True(tracker.TryTakeUpdate(out var u));
        encoder.Encode(fb, u, frame);
        Assert.Equal([new Rect(10, 10, 118, 36), new Rect(128, 10, 12, 4)], frame.Tiles.ToArray().Select(t => t.Area).ToArray());
    }

    [Fact]
    public void Unchanged_tiles_are_skipped_until_a_copy_or_reset_makes_them_unknown()
    {
        var fb = TestImages.Desktop(256, 128, 3);
        var tracker = new UpdateTracker(256, 128, maxCopies: 4);
        var encoder = new FrameEncoder(new FrameEncoderOptions { TileSize = 64 });
        using var frame = new EncodedFrame();
        tracker.TryTakeUpdate(out var u);
        encoder.Encode(fb, u, frame);
        Assert.Equal(8, frame.Tiles.Length);

        // The engine reports damage, but the pixels did not change (RFB and RDP servers do this).
        tracker.AddDamage(fb.Bounds);
        tracker.TryTakeUpdate(out u);
        encoder.Encode(fb, u, frame);
        Assert.Equal(0, frame.Tiles.Length);
        Assert.Equal(8, frame.SkippedTiles);

        // One pixel changes: one tile.
        fb.At(70, 5) ^= 0x010101;
        tracker.AddDamage(fb.Bounds);
        tracker.TryTakeUpdate(out u);
        encoder.Encode(fb, u, frame);
        Assert.Equal([new Rect(64, 0, 64, 64)], frame.Tiles.ToArray().Select(t => t.Area).ToArray());

        // A copy writes the viewer's cells: they cannot be skipped afterwards even if the hash matches.
        fb.CopyRect(new Rect(0, 0, 64, 64), 192, 64);
        tracker.AddCopy(new Rect(0, 0, 64, 64), 192, 64);
        tracker.TryTakeUpdate(out u);
        encoder.Encode(fb, u, frame);
        Assert.Single(frame.Copies.ToArray());
        Assert.Equal(0, frame.Tiles.Length);
        tracker.AddDamage(new Rect(192, 64, 64, 64));
        tracker.TryTakeUpdate(out u);
        encoder.Encode(fb, u, frame);
        Assert.Single(frame.Tiles.ToArray());

        encoder.ResetCache();
        tracker.AddDamage(fb.Bounds);
        tracker.TryTakeUpdate(out u);
        encoder.Encode(fb, u, frame);
        Assert.Equal(8, frame.Tiles.Length);
    }

    [Fact]
    public void Hash_cells_finer_than_tiles_leave_unchanged_parts_out_of_a_tile()
    {
        var fb = TestImages.Desktop(256, 256, 5);
        var tracker = new UpdateTracker(256, 256);
        var encoder = new FrameEncoder(); // 256 tiles, 64 hash cells
        using var frame = new EncodedFrame();
        tracker.TryTakeUpdate(out var u);
        encoder.Encode(fb, u, frame);
        Assert.Equal([fb.Bounds], frame.Tiles.ToArray().Select(t => t.Area).ToArray());

        fb.Fill(new Rect(70, 70, 10, 10), 0xABCDEF);
        tracker.AddDamage(fb.Bounds); // reported as whole-screen damage
        tracker.TryTakeUpdate(out u);
        encoder.Encode(fb, u, frame);
        Assert.Equal([new Rect(64, 64, 64, 64)], frame.Tiles.ToArray().Select(t => t.Area).ToArray());
        Assert.Equal(15, frame.SkippedTiles);
        Assert.Equal(64 * 64, frame.EncodedPixels);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameEncoder(new FrameEncoderOptions { TileSize = 512 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameEncoder(new FrameEncoderOptions { TileSize = 128, HashCellSize = 48 }));
    }

    [Fact]
    public void Rejects_a_framebuffer_of_another_size()
    {
        var tracker = new UpdateTracker(100, 100);
        tracker.TryTakeUpdate(out var u);
        using var frame = new EncodedFrame();
        Assert.Throws<ArgumentException>(() => new FrameEncoder().Encode(new Framebuffer(50, 50), u, frame));
    }

    /// <summary>End to end: a viewer that decodes the PNG tiles always matches the server, with skipping on.</summary>
    [Theory]
    [InlineData(1, 16, 8)]
    [InlineData(2, 32, 16)]
    [InlineData(3, 64, 32)]
    [InlineData(4, 32, 32)]
    public void Simulated_viewer_decoding_pngs_matches_the_server(int seed, int tileSize, int hashCell)
    {
        var rng = new Random(seed);
        int w = 90, h = 70;
        var server = TestImages.Desktop(w, h, seed);
        var client = new Framebuffer(1, 1);
        var tracker = new UpdateTracker(w, h, maxDamageRects: 8, maxCopies: 3);
        var encoder = new FrameEncoder(new FrameEncoderOptions { TileSize = tileSize, HashCellSize = hashCell, Png = new PngEncoderOptions { Filter = PngFilter.Adaptive } });
        using var frame = new EncodedFrame(16);
        var skipped = 0;
        for (var step = 0; step < 1500; step++)
        {
            var op = rng.Next(10);
            var r = new Rect(rng.Next(w - 10), rng.Next(h - 10), rng.Next(1, 10), rng.Next(1, 10));
            if (op < 3)
            {
                server.Fill(r, rng.Next(3) == 0 ? 0xFFFFFFu : (uint)rng.Next() & 0xFFFFFF);
                tracker.AddDamage(r);
            }
            else if (op < 4)
            {
                tracker.AddDamage(r); // spurious damage
            }
            else if (op < 6)
            {
                var dx = rng.Next(w - r.Width);
                var dy = rng.Next(h - r.Height);
                server.CopyRect(r, dx, dy);
                tracker.AddCopy(r, dx, dy);
            }
            else if (op < 7 && rng.Next(30) == 0)
            {
                w = rng.Next(20, 100);
                h = rng.Next(20, 80);
                server.Resize(w, h);
                tracker.Resize(w, h);
            }
            else if (tracker.TryTakeUpdate(out var u))
            {
                encoder.Encode(server, u, frame);
                if (frame.SizeChanged) client.Resize(frame.Width, frame.Height);
                foreach (var c in frame.Copies.Span) c.ApplyTo(client);
                foreach (var t in frame.Tiles.Span)
                {
                    var img = PngTestDecoder.Decode(t.Data.Span);
                    Assert.Equal((t.Area.Width, t.Area.Height), (img.Width, img.Height));
                    client.Write(t.Area, img.Pixels);
                }
                skipped += frame.SkippedTiles;
                Assert.True(server.Pixels.SequenceEqual(client.Pixels), $"viewer diverged at step {step}");
            }
        }
        Assert.True(skipped > 0);
    }

    private static UpdateTracker Taken(Framebuffer fb)
    {
        var t = new UpdateTracker(fb.Width, fb.Height);
        t.TryTakeUpdate(out _);
        return t;
    }
}
