namespace Oriel.Graphics.Tests;

internal static class TestImages
{
    public static Framebuffer Noise(int width, int height, int seed)
    {
        var fb = new Framebuffer(width, height);
        var rng = new Random(seed);
        foreach (ref var p in fb.Pixels) p = (uint)rng.Next() & 0xFFFFFF;
        return fb;
    }

    /// <summary>Pixels drawn from <paramref name="colors"/> distinct colours, all of which appear.</summary>
    public static Framebuffer WithColors(int width, int height, int colors, int seed)
    {
        var rng = new Random(seed);
        var palette = new uint[colors];
        var used = new HashSet<uint>();
        for (var i = 0; i < colors; i++)
        {
            uint c;
            do c = (uint)rng.Next() & 0xFFFFFF; while (!used.Add(c));
            palette[i] = c;
        }
        var fb = new Framebuffer(width, height);
        var px = fb.Pixels;
        for (var i = 0; i < px.Length; i++) px[i] = i < colors ? palette[i] : palette[rng.Next(colors)];
        return fb;
    }

    /// <summary>A desktop-like picture: flat panels, a gradient strip, text-like specks.</summary>
    public static Framebuffer Desktop(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var fb = new Framebuffer(width, height);
        fb.Fill(fb.Bounds, 0x2D2D30);
        for (var i = 0; i < 12; i++)
        {
            fb.Fill(new Rect(rng.Next(width), rng.Next(height), rng.Next(1, width / 2), rng.Next(1, height / 2)), (uint)rng.Next() & 0xFFFFFF);
        }
        for (var y = 0; y < Math.Min(height, 20); y++)
        {
            for (var x = 0; x < width; x++) fb.At(x, y) = (uint)((x * 255 / width) << 16 | (y * 12) << 8 | 0x40);
        }
        for (var i = 0; i < width * height / 20; i++) fb.At(rng.Next(width), rng.Next(height)) = 0xFFFFFF;
        return fb;
    }

    public static uint[] Read(Framebuffer fb, Rect r)
    {
        var a = new uint[r.Width * r.Height];
        fb.Read(r, a);
        return a;
    }
}
