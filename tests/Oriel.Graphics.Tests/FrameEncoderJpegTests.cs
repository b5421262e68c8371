using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;
using Oriel.Graphics.Tests.Jpeg;

namespace Oriel.Graphics.Tests;

/// <summary>FrameEncoder's PNG-or-JPEG choice per tile and lossless refinement of JPEG tiles.</summary>
public class FrameEncoderJpegTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Text_and_flat_tiles_stay_png_while_noise_and_gradient_tiles_go_jpeg()
    {
        var fake = new QuantizingTestCodec();
        var encoder = new FrameEncoder(new FrameEncoderOptions { JpegEncoder = fake.Encode });
        using var frame = new EncodedFrame();

        Assert.Equal(EncodedTileFormat.Png, EncodeWhole(encoder, TestImages.WithColors(256, 256, 4, 1), frame).Format); // text: 4 colours
        Assert.Equal(EncodedTileFormat.Png, EncodeWhole(encoder, Flat(256, 256), frame).Format);
        Assert.Equal(EncodedTileFormat.Png, EncodeWhole(encoder, TestImages.WithColors(256, 256, 256, 2), frame).Format); // palette-able
        Assert.Equal(EncodedTileFormat.Png, EncodeWhole(encoder, TestImages.Desktop(256, 256, 3), frame).Format); // UI: many colours, mostly runs
        Assert.Equal(0, fake.Calls);

        var noise = EncodeWhole(encoder, TestImages.Noise(256, 256, 4), frame);
        Assert.Equal(EncodedTileFormat.Jpeg, noise.Format);
        Assert.True(noise.IsLossy);
        Assert.True(QuantizingTestCodec.IsQuantized(noise.Data.Span));
        Assert.Equal(EncodedTileFormat.Jpeg, EncodeWhole(encoder, JpegImages.Gradient(256, 256), frame).Format);
        Assert.Equal(1, frame.JpegTiles);
        Assert.Equal(frame.Tiles.Span[0].Data.Length, frame.JpegBytes);
        Assert.Equal(0, frame.PngBytes);
        Assert.Equal(frame.JpegBytes, frame.ImageBytes);
    }

    [Fact]
    public void Jpeg_is_off_without_an_encoder_at_quality_0_and_for_small_tiles()
    {
        var noise = TestImages.Noise(256, 256, 5);
        using var frame = new EncodedFrame();
        var fake = new QuantizingTestCodec();
        Assert.Equal(EncodedTileFormat.Png, EncodeWhole(new FrameEncoder(), noise, frame).Format);
        Assert.Equal(EncodedTileFormat.Png, EncodeWhole(new FrameEncoder(new FrameEncoderOptions { JpegEncoder = fake.Encode, JpegQuality = 0 }), noise, frame).Format);
        Assert.Equal(0, fake.Calls);

        // 300x70 on 256 tiles: a 256x70 and a 44x70 tile; with JpegMinSide 64 only the first is JPEG.
        var wide = TestImages.Noise(300, 70, 6);
        var encoder = new FrameEncoder(new FrameEncoderOptions { JpegEncoder = fake.Encode });
        var tracker = new UpdateTracker(300, 70);
        tracker.TryTakeUpdate(out var u);
        encoder.Encode(wide, u, frame, TimeSpan.Zero);
        Assert.Equal([EncodedTileFormat.Jpeg, EncodedTileFormat.Png], frame.Tiles.ToArray().Select(t => t.Format).ToArray());
        Assert.Equal(frame.Tiles.Span[1].Data.Length, frame.PngBytes);
    }

    [Fact]
    public void A_mixed_tile_whose_png_is_large_is_also_tried_as_jpeg_and_the_smaller_is_sent()
    {
        // Noise in horizontal runs of three: many colours, two thirds repeats (not photo-like), PNG over 1 byte/pixel.
        var fb = new Framebuffer(256, 256);
        var rng = new Random(7);
        for (var y = 0; y < 256; y++)
        {
            for (var x = 0; x < 256; x += 3)
            {
                var c = (uint)rng.Next() & 0xFFFFFF;
                for (var k = x; k < Math.Min(256, x + 3); k++) fb.At(k, y) = c;
            }
        }
        using var frame = new EncodedFrame();
        var fake = new QuantizingTestCodec();
        var lenient = new FrameEncoder(new FrameEncoderOptions { JpegEncoder = fake.Encode, JpegFallbackBytesPerPixel = 100 });
        Assert.Equal(EncodedTileFormat.Png, EncodeWhole(lenient, fb, frame).Format);
        var png = frame.PngBytes;
        Assert.Equal(0, fake.Calls);

        var strict = new FrameEncoder(new FrameEncoderOptions { JpegEncoder = fake.Encode, JpegFallbackBytesPerPixel = 0.01 });
        var tile = EncodeWhole(strict, fb, frame);
        Assert.Equal(1, fake.Calls);
        var fakeSize = 6 + (256 * 256 * 3 / 2);
        Assert.Equal(fakeSize < png ? EncodedTileFormat.Jpeg : EncodedTileFormat.Png, tile.Format);
        Assert.Equal(Math.Min(fakeSize, png), tile.Data.Length);
        Assert.Equal(tile.Data.Length, frame.ImageBytes);
    }

    [Fact]
    public void Refinement_replaces_every_lossy_tile_with_png_after_the_quiet_period_and_never_before()
    {
        var fake = new QuantizingTestCodec();
        // 64-pixel tiles: one tile per hash cell, so each cell is refined on its own.
        var encoder = new FrameEncoder(new FrameEncoderOptions { TileSize = 64, JpegEncoder = fake.Encode, RefineDelay = 300 * Ms });
        var server = TestImages.Desktop(512, 256, 8);
        Paint(server, new Rect(0, 0, 256, 256), TestImages.Noise(256, 256, 9)); // left tile: photo; right: UI
        var tracker = new UpdateTracker(512, 256);
        var viewer = new Framebuffer(1, 1);
        using var frame = new EncodedFrame();

        Assert.Null(encoder.NextRefinementDue);
        Send(encoder, tracker, server, viewer, frame, 1000 * Ms);
        Assert.Equal(32, frame.Tiles.Length);
        Assert.Equal(16, frame.JpegTiles);
        Assert.All(frame.Tiles.ToArray(), t => Assert.Equal(t.Area.X < 256 ? EncodedTileFormat.Jpeg : EncodedTileFormat.Png, t.Format));
        Assert.Equal(16, encoder.LossyCells); // 4x4 hash cells of 64
        Assert.Equal(1300 * Ms, encoder.NextRefinementDue);
        AssertViewer(server, viewer, encoder, QuantizingTestCodec.MaxError);
        Assert.False(server.Pixels.SequenceEqual(viewer.Pixels));

        // Not yet quiet: nothing requested.
        Assert.Equal(0, encoder.RequestRefinement(1299 * Ms, tracker));
        Assert.False(tracker.HasPendingUpdate);

        // New photo-like damage in one cell at 1200 ms restarts that cell's clock only.
        Paint(server, new Rect(64, 64, 64, 64), TestImages.Noise(64, 64, 10));
        tracker.AddDamage(new Rect(64, 64, 64, 64));
        Send(encoder, tracker, server, viewer, frame, 1200 * Ms);
        Assert.Equal(EncodedTileFormat.Jpeg, Assert.Single(frame.Tiles.ToArray()).Format);

        Assert.Equal(15, encoder.RequestRefinement(1300 * Ms, tracker));
        Assert.Equal(0, encoder.RequestRefinement(1300 * Ms, tracker)); // already requested
        Assert.Equal(1500 * Ms, encoder.NextRefinementDue);
        Send(encoder, tracker, server, viewer, frame, 1300 * Ms);
        Assert.All(frame.Tiles.ToArray(), t => Assert.Equal(EncodedTileFormat.Png, t.Format));
        Assert.Equal(15, frame.RefinedTiles);
        Assert.Equal(15, frame.Tiles.Length);
        Assert.Equal(1, encoder.LossyCells);
        Assert.True(encoder.IsLossyAt(64, 64));
        Assert.False(encoder.IsLossyAt(0, 0));

        Assert.Equal(0, encoder.RequestRefinement(1499 * Ms, tracker));
        Assert.Equal(1, encoder.RequestRefinement(1500 * Ms, tracker));
        Send(encoder, tracker, server, viewer, frame, 1500 * Ms);
        Assert.Equal([new Rect(64, 64, 64, 64)], frame.Tiles.ToArray().Select(t => t.Area).ToArray());
        Assert.Equal(EncodedTileFormat.Png, frame.Tiles.Span[0].Format);
        Assert.Equal(0, encoder.LossyCells);
        Assert.Null(encoder.NextRefinementDue);
        Assert.True(server.Pixels.SequenceEqual(viewer.Pixels));

        // Unchanged content stays skipped afterwards, as before.
        tracker.AddDamage(server.Bounds);
        Send(encoder, tracker, server, viewer, frame, 5000 * Ms);
        Assert.Equal(0, frame.Tiles.Length);
        Assert.Equal(0, encoder.RequestRefinement(9000 * Ms, tracker));
    }

    [Fact]
    public void A_copy_spreads_lossiness_and_a_request_overwritten_by_a_copy_is_due_again()
    {
        var fake = new QuantizingTestCodec();
        var encoder = new FrameEncoder(new FrameEncoderOptions { JpegEncoder = fake.Encode, RefineDelay = 300 * Ms });
        var server = Flat(512, 256);
        Paint(server, new Rect(0, 0, 256, 256), TestImages.Noise(256, 256, 11));
        var tracker = new UpdateTracker(512, 256);
        var viewer = new Framebuffer(1, 1);
        using var frame = new EncodedFrame();
        Send(encoder, tracker, server, viewer, frame, TimeSpan.Zero);
        Assert.Equal(16, encoder.LossyCells);

        // Copy lossy pixels into the flat half: the viewer shows approximate pixels there now.
        server.CopyRect(new Rect(0, 0, 64, 64), 320, 64);
        tracker.AddCopy(new Rect(0, 0, 64, 64), 320, 64);
        Send(encoder, tracker, server, viewer, frame, 100 * Ms);
        Assert.True(encoder.IsLossyAt(320, 64));
        Assert.Equal(17, encoder.LossyCells);
        AssertViewer(server, viewer, encoder, QuantizingTestCodec.MaxError);

        // A refinement request whose damage a later copy overwrites is dropped, then requested again.
        Assert.Equal(16, encoder.RequestRefinement(300 * Ms, tracker));
        server.CopyRect(new Rect(384, 0, 128, 256), 0, 0); // exact flat pixels over the left half of the lossy tile
        tracker.AddCopy(new Rect(384, 0, 128, 256), 0, 0);
        Send(encoder, tracker, server, viewer, frame, 300 * Ms);
        Assert.Equal(new Rect(0, 0, 128, 256), frame.Copies.Span[0].Destination);
        Assert.True(encoder.LossyCells > 0);
        Assert.NotNull(encoder.NextRefinementDue);
        Assert.True(encoder.RequestRefinement(1000 * Ms, tracker) > 0);
        Send(encoder, tracker, server, viewer, frame, 1000 * Ms);
        Assert.Equal(0, encoder.LossyCells);
        Assert.True(server.Pixels.SequenceEqual(viewer.Pixels));
    }

    [Fact]
    public void Resize_and_reset_forget_lossy_cells()
    {
        var fake = new QuantizingTestCodec();
        var encoder = new FrameEncoder(new FrameEncoderOptions { JpegEncoder = fake.Encode });
        using var frame = new EncodedFrame();
        EncodeWhole(encoder, TestImages.Noise(256, 256, 12), frame);
        Assert.Equal(16, encoder.LossyCells);
        encoder.ResetCache();
        Assert.Equal(0, encoder.LossyCells);
        Assert.Null(encoder.NextRefinementDue);
        EncodeWhole(encoder, TestImages.Noise(256, 256, 13), frame);
        Assert.Equal(16, encoder.LossyCells);
        var tracker = new UpdateTracker(128, 128);
        Assert.Equal(0, encoder.RequestRefinement(TimeSpan.FromHours(1), tracker)); // other size: the resize resends all
        EncodeWhole(encoder, Flat(128, 128), frame);
        Assert.Equal(0, encoder.LossyCells);
    }

    [Fact]
    public void Invalid_jpeg_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameEncoder(new FrameEncoderOptions { JpegQuality = 101 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameEncoder(new FrameEncoderOptions { JpegQuality = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameEncoder(new FrameEncoderOptions { JpegMinSide = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameEncoder(new FrameEncoderOptions { RefineDelay = -Ms }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameEncoder(new FrameEncoderOptions { JpegFallbackBytesPerPixel = 0 }));
        Assert.Equal(80, FrameEncoderOptions.Default.JpegQuality);
        Assert.False(FrameEncoderOptions.Default.JpegEnabled);
    }

    [Fact]
    public void Real_jpeg_tiles_decode_close_to_the_source_and_refine_to_exact_pixels()
    {
        Assert.True(TurboJpegLibrary.IsAvailable, TurboJpegLibrary.MissingLibraryMessage);
        using var codec = TurboJpegLibrary.CreateCodec();
        var encoder = new FrameEncoder(new FrameEncoderOptions { JpegEncoder = codec.Encode });
        var server = new Framebuffer(600, 400);
        for (var y = 0; y < 400; y++)
        {
            for (var x = 0; x < 600; x++)
            {
                var r = (uint)(128 + (100 * Math.Sin((x / 13.0) + (y / 29.0))));
                var g = (uint)(128 + (100 * Math.Sin((y / 11.0) - (x / 23.0))));
                var b = (uint)(128 + (100 * Math.Sin((x + y) / 17.0)));
                server.At(x, y) = r << 16 | g << 8 | b;
            }
        }
        var tracker = new UpdateTracker(600, 400);
        var viewer = new Framebuffer(1, 1);
        using var frame = new EncodedFrame();
        Send(encoder, tracker, server, viewer, frame, TimeSpan.Zero, codec);
        Assert.Equal(6, frame.JpegTiles); // 3x2 tiles, the 88-wide and 144-high remainders too
        Assert.True(frame.JpegBytes < 600 * 400 / 4, $"{frame.JpegBytes} bytes of JPEG for smooth shading");
        Assert.True(JpegImages.MeanAbsoluteError(server.Pixels, viewer.Pixels) < 3.0);

        Assert.True(encoder.RequestRefinement(TimeSpan.FromSeconds(1), tracker) > 0);
        Send(encoder, tracker, server, viewer, frame, TimeSpan.FromSeconds(1), codec);
        Assert.Equal(0, frame.JpegTiles);
        Assert.Equal(6, frame.Tiles.Length);
        Assert.True(server.Pixels.SequenceEqual(viewer.Pixels));
    }

    /// <summary>
    /// The viewer simulation of FrameEncoderTests with photo-like paint and JPEG on: after every
    /// frame, pixels outside lossy cells are exact and (with the quantizing codec) the rest is close;
    /// when nothing is lossy the viewer is exact; refinement after the quiet period ends exact.
    /// </summary>
    [Theory]
    [InlineData(1, 32, 16, false)]
    [InlineData(2, 64, 32, false)]
    [InlineData(3, 32, 32, false)]
    [InlineData(4, 64, 16, true)]
    [InlineData(5, 32, 8, true)]
    public void Simulated_viewer_with_jpeg_tiles_matches_the_server_after_refinement(int seed, int tileSize, int hashCell, bool realJpeg)
    {
        var rng = new Random(seed);
        int w = 150, h = 110;
        var server = TestImages.Desktop(w, h, seed);
        var viewer = new Framebuffer(1, 1);
        var tracker = new UpdateTracker(w, h, maxDamageRects: 8, maxCopies: 3);
        var fake = new QuantizingTestCodec();
        using var codec = realJpeg ? TurboJpegLibrary.CreateCodec() : null;
        var encoder = new FrameEncoder(new FrameEncoderOptions
        {
            TileSize = tileSize,
            HashCellSize = hashCell,
            JpegMinSide = 16,
            JpegEncoder = codec is null ? fake.Encode : codec.Encode,
            RefineDelay = 50 * Ms,
        });
        using var frame = new EncodedFrame(16);
        var now = TimeSpan.Zero;
        int jpegTiles = 0, refined = 0, exactChecks = 0;
        for (var step = 0; step < 1200; step++)
        {
            now += Ms * rng.Next(0, 20);
            var op = rng.Next(12);
            var r = new Rect(rng.Next(w - 10), rng.Next(h - 10), rng.Next(1, 10), rng.Next(1, 10));
            if (op < 2)
            {
                server.Fill(r, (uint)rng.Next() & 0xFFFFFF);
                tracker.AddDamage(r);
            }
            else if (op < 3)
            {
                var big = new Rect(rng.Next(w - 40), rng.Next(h - 40), rng.Next(16, 40), rng.Next(16, 40));
                Paint(server, big, TestImages.Noise(big.Width, big.Height, rng.Next()));
                tracker.AddDamage(big);
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
            else if (op < 7 && rng.Next(40) == 0)
            {
                w = rng.Next(60, 160);
                h = rng.Next(50, 120);
                server.Resize(w, h);
                tracker.Resize(w, h);
            }
            else if (op < 8)
            {
                encoder.RequestRefinement(now, tracker);
            }
            else if (tracker.TryTakeUpdate(out var u))
            {
                ApplyFrame(encoder, server, viewer, frame, u, now, codec);
                jpegTiles += frame.JpegTiles;
                refined += frame.RefinedTiles;
                AssertViewer(server, viewer, encoder, codec is null ? QuantizingTestCodec.MaxError : 255, $"step {step}");
                if (encoder.LossyCells == 0)
                {
                    Assert.True(server.Pixels.SequenceEqual(viewer.Pixels), $"viewer not exact at step {step} with no lossy cells");
                    exactChecks++;
                }
            }
        }

        // Quiet: refinement brings the viewer to the exact pixels.
        while (tracker.TryTakeUpdate(out var rest)) ApplyFrame(encoder, server, viewer, frame, rest, now, codec);
        now += TimeSpan.FromSeconds(1);
        encoder.RequestRefinement(now, tracker);
        while (tracker.TryTakeUpdate(out var u)) ApplyFrame(encoder, server, viewer, frame, u, now, codec);
        Assert.Equal(0, encoder.LossyCells);
        Assert.True(server.Pixels.SequenceEqual(viewer.Pixels));
        Assert.True(jpegTiles > 10, $"only {jpegTiles} JPEG tiles");
        Assert.True(refined > 0);
        Assert.True(exactChecks > 0);
    }

    private static EncodedTile EncodeWhole(FrameEncoder encoder, Framebuffer fb, EncodedFrame frame)
    {
        encoder.ResetCache();
        var tracker = new UpdateTracker(fb.Width, fb.Height);
        tracker.TryTakeUpdate(out var u);
        encoder.Encode(fb, u, frame, TimeSpan.Zero);
        return Assert.Single(frame.Tiles.ToArray());
    }

    private static void Send(FrameEncoder encoder, UpdateTracker tracker, Framebuffer server, Framebuffer viewer, EncodedFrame frame, TimeSpan now, JpegCodec? codec = null)
    {
        Assert.True(tracker.TryTakeUpdate(out var u));
        ApplyFrame(encoder, server, viewer, frame, u, now, codec);
    }

    private static void ApplyFrame(FrameEncoder encoder, Framebuffer server, Framebuffer viewer, EncodedFrame frame, in DesktopUpdate u, TimeSpan now, JpegCodec? codec)
    {
        encoder.Encode(server, u, frame, now);
        if (frame.SizeChanged) viewer.Resize(frame.Width, frame.Height);
        foreach (var c in frame.Copies.Span) c.ApplyTo(viewer);
        foreach (var t in frame.Tiles.Span)
        {
            if (t.Format == EncodedTileFormat.Png)
            {
                var img = PngTestDecoder.Decode(t.Data.Span);
                Assert.Equal((t.Area.Width, t.Area.Height), (img.Width, img.Height));
                viewer.Write(t.Area, img.Pixels);
            }
            else if (codec is not null)
            {
                codec.Decode(t.Data.Span, viewer, t.Area);
            }
            else
            {
                var (width, height, pixels) = QuantizingTestCodec.Decode(t.Data.Span);
                Assert.Equal((t.Area.Width, t.Area.Height), (width, height));
                viewer.Write(t.Area, pixels);
            }
        }
    }

    /// <summary>Pixels outside the encoder's lossy cells are exact; inside, within <paramref name="tolerance"/> per channel.</summary>
    private static void AssertViewer(Framebuffer server, Framebuffer viewer, FrameEncoder encoder, int tolerance, string where = "")
    {
        Assert.Equal((server.Width, server.Height), (viewer.Width, viewer.Height));
        for (var y = 0; y < server.Height; y++)
        {
            for (var x = 0; x < server.Width; x++)
            {
                var s = server.At(x, y);
                var v = viewer.At(x, y);
                if (s == v) continue;
                Assert.True(encoder.IsLossyAt(x, y), $"{where}: ({x},{y}) is {v:X6}, not {s:X6}, outside any lossy cell");
                Assert.True(QuantizingTestCodec.Close(s, v, tolerance), $"{where}: ({x},{y}) is {v:X6}, too far from {s:X6}");
            }
        }
    }

    private static Framebuffer Flat(int width, int height)
    {
        var fb = new Framebuffer(width, height);
        fb.Fill(fb.Bounds, 0x336699);
        return fb;
    }

    private static void Paint(Framebuffer target, Rect area, Framebuffer picture)
    {
        var pixels = new uint[area.Width * area.Height];
        picture.Read(new Rect(0, 0, area.Width, area.Height), pixels);
        target.Write(area, pixels);
    }
}
