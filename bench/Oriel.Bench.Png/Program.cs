using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Oriel.Graphics;

// Measures PNG encoding of 1920x1080 desktops: whole-frame encodes per filter, palette on and off,
// and the tiled FrameEncoder path per tile size, plus a scroll workload through the tracker.
// Usage: Oriel.Bench.Png [screenshot.xwd] [--write-png out.png]

var images = new List<(string Name, Framebuffer Fb)>();
if (args.Length > 0 && File.Exists(args[0])) images.Add(("screenshot", XwdReader.Read(File.ReadAllBytes(args[0]))));
images.Add(("terminal", Synthetic.Terminal(1920, 1080, 1)));
images.Add(("photo", Synthetic.Photo(1920, 1080, 2)));

var writeAt = Array.IndexOf(args, "--write-png");
if (writeAt >= 0 && writeAt + 1 < args.Length)
{
    var w = new PooledBufferWriter();
    new PngEncoder().Encode(images[0].Fb, images[0].Fb.Bounds, w);
    File.WriteAllBytes(args[writeAt + 1], w.WrittenSpan.ToArray());
}

if (Array.IndexOf(args, "--levels") >= 0)
{
    foreach (var (name, fb) in images)
    {
        foreach (var strategy in new[] { ZLibCompressionStrategy.Default, ZLibCompressionStrategy.RunLengthEncoding })
        {
            foreach (var level in new[] { 1, 2 })
            {
                foreach (var palette in new[] { true, false })
                {
                    Measure(name, $"L{level} {strategy} {(palette ? "pal" : "rgb")}", new PngEncoderOptions { ZLibLevel = level, Strategy = strategy, UsePalette = palette }, fb, 0);
                }
            }
        }
    }
    return;
}
Console.WriteLine($"{"image",-11} {"mode",-34} {"best ms",9} {"bytes",10} {"fps",7} {"alloc B",8}");
foreach (var (name, fb) in images)
{
    foreach (var palette in new[] { true, false })
    {
        foreach (var filter in new[] { PngFilter.None, PngFilter.Sub, PngFilter.Up, PngFilter.Paeth, PngFilter.Adaptive })
        {
            var opts = new PngEncoderOptions { UsePalette = palette, Filter = filter };
            Measure(name, $"whole {(palette ? "pal" : "rgb")} {filter}", opts, fb, tile: 0);
        }
    }
    Measure(name, "whole rgb Up zlib Optimal", new PngEncoderOptions { Filter = PngFilter.Up, CompressionLevel = CompressionLevel.Optimal }, fb, 0);
    foreach (var tile in new[] { 64, 128, 256 })
    {
        Measure(name, $"tiles {tile} default", PngEncoderOptions.Default, fb, tile);
        Measure(name, $"tiles {tile} no-palette", new PngEncoderOptions { UsePalette = false }, fb, tile);
    }
}
ScrollWorkload(images[0].Fb);

static void Measure(string name, string mode, PngEncoderOptions opts, Framebuffer fb, int tile)
{
    var sw = new Stopwatch();
    long bytes = 0;
    var iterations = 0;
    var best = double.MaxValue;
    var lap = new Stopwatch();
    long allocatedBefore = 0;
    if (tile == 0)
    {
        var enc = new PngEncoder(opts);
        using var output = new PooledBufferWriter(4 << 20);
        for (var warm = 0; warm < 2; warm++)
        {
            output.Clear();
            enc.Encode(fb, fb.Bounds, output);
        }
        allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        sw.Start();
        while (sw.ElapsedMilliseconds < 700 || iterations < 3)
        {
            lap.Restart();
            output.Clear();
            bytes = enc.Encode(fb, fb.Bounds, output);
            best = Math.Min(best, lap.Elapsed.TotalMilliseconds);
            iterations++;
        }
    }
    else
    {
        var fe = new FrameEncoder(new FrameEncoderOptions { TileSize = tile, Png = opts, SkipUnchangedTiles = false });
        var tracker = new UpdateTracker(fb.Width, fb.Height);
        using var frame = new EncodedFrame(4 << 20);
        tracker.TryTakeUpdate(out var warm);
        fe.Encode(fb, warm, frame);
        allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        sw.Start();
        while (sw.ElapsedMilliseconds < 700 || iterations < 3)
        {
            lap.Restart();
            tracker.InvalidateAll();
            tracker.TryTakeUpdate(out var u);
            fe.Encode(fb, u, frame);
            bytes = frame.PngBytes;
            best = Math.Min(best, lap.Elapsed.TotalMilliseconds);
            iterations++;
        }
    }
    sw.Stop();
    var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / iterations;
    var ms = best;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-11} {mode,-34} {ms,9:F2} {bytes,10} {1000 / ms,7:F1} {allocated,8}"));
}

// A terminal scrolling one text line at a time, 3 lines per viewer update, through tracker + frame encoder.
static void ScrollWorkload(Framebuffer source)
{
    var fb = new Framebuffer(source.Width, source.Height);
    source.Pixels.CopyTo(fb.Pixels);
    var tracker = new UpdateTracker(fb.Width, fb.Height);
    var fe = new FrameEncoder();
    using var frame = new EncodedFrame(4 << 20);
    tracker.TryTakeUpdate(out var first);
    fe.Encode(fb, first, frame);
    const int line = 17;
    var rng = new Random(1);
    long bytes = 0, pixels = 0;
    var frames = 0;
    var sw = Stopwatch.StartNew();
    for (var step = 0; step < 600; step++)
    {
        fb.CopyRect(new Rect(0, line, fb.Width, fb.Height - line), 0, 0);
        tracker.AddCopy(new Rect(0, line, fb.Width, fb.Height - line), 0, 0);
        var band = new Rect(0, fb.Height - line, fb.Width, line);
        fb.Fill(band, 0x000000);
        for (var i = 0; i < 120; i++) fb.Fill(new Rect(rng.Next(fb.Width / 2), fb.Height - line + 3, 7, 11), 0xD0D0D0);
        tracker.AddDamage(band);
        tracker.AddDamage(fb.Bounds with { Height = 40 }); // a status bar that the server re-reports unchanged
        if (step % 3 == 2 && tracker.TryTakeUpdate(out var u))
        {
            fe.Encode(fb, u, frame);
            bytes += frame.PngBytes;
            pixels += frame.EncodedPixels;
            frames++;
        }
    }
    sw.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"scroll: {frames} updates, {sw.Elapsed.TotalMilliseconds / frames:F2} ms/update (incl. drawing), {bytes / frames} bytes/update, {pixels / frames} px encoded/update"));
}

/// <summary>Reads a 24/32-bit ZPixmap XWD file (X11 xwd -root output) into a framebuffer.</summary>
internal static class XwdReader
{
    public static Framebuffer Read(byte[] d)
    {
        var headerSize = BinaryPrimitives.ReadInt32BigEndian(d);
        var width = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(20));
        var byteOrder = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(28));
        var bitsPerPixel = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(44));
        var bytesPerLine = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(48));
        var colors = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(76));
        if (bitsPerPixel != 32 || byteOrder != 0) throw new NotSupportedException("only 32 bpp LSB-first XWD");
        var fb = new Framebuffer(width, height);
        var data = headerSize + (colors * 12);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                fb.At(x, y) = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(data + (y * bytesPerLine) + (x * 4))) & 0xFFFFFF;
            }
        }
        return fb;
    }
}

internal static class Synthetic
{
    /// <summary>Dark background, light anti-aliased-looking glyph blocks in 4 shades, a title bar.</summary>
    public static Framebuffer Terminal(int w, int h, int seed)
    {
        var rng = new Random(seed);
        var fb = new Framebuffer(w, h);
        fb.Fill(fb.Bounds, 0x1E1E1E);
        uint[] shades = [0x5A5A5A, 0x9A9A9A, 0xD4D4D4, 0x569CD6];
        for (var row = 2; row < h / 17; row++)
        {
            var len = rng.Next(0, w / 9);
            for (var col = 0; col < len; col++)
            {
                if (rng.Next(6) == 0) continue;
                for (var k = 0; k < 9; k++) fb.Fill(new Rect((col * 9) + rng.Next(8), (row * 17) + 3 + rng.Next(12), 1 + rng.Next(2), 1 + rng.Next(3)), shades[rng.Next(shades.Length)]);
            }
        }
        fb.Fill(new Rect(0, 0, w, 30), 0x3C3C3C);
        return fb;
    }

    /// <summary>Smooth gradients with mild noise: many colours.</summary>
    public static Framebuffer Photo(int w, int h, int seed)
    {
        var rng = new Random(seed);
        var fb = new Framebuffer(w, h);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var r = (int)(128 + (100 * Math.Sin(x / 97.0))) + rng.Next(-6, 7);
                var g = (int)(128 + (100 * Math.Cos(y / 71.0))) + rng.Next(-6, 7);
                var b = ((x + y) / 12) & 0xFF;
                fb.At(x, y) = (uint)(Math.Clamp(r, 0, 255) << 16 | Math.Clamp(g, 0, 255) << 8 | b);
            }
        }
        return fb;
    }
}
