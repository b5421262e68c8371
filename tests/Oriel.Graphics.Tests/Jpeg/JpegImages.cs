using Oriel.Graphics.Jpeg;

namespace Oriel.Graphics.Tests.Jpeg;

/// <summary>Pictures JPEG handles well, and a way to measure how close a decode came.</summary>
internal static class JpegImages
{
    /// <summary>A smooth two-way gradient: red grows left to right, green top to bottom, blue diagonally.</summary>
    public static Framebuffer Gradient(int width, int height)
    {
        var fb = new Framebuffer(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                fb.At(x, y) = Pixel(x, y, width, height);
            }
        }
        return fb;
    }

    public static uint Pixel(int x, int y, int width, int height)
    {
        var r = (uint)(x * 255 / Math.Max(1, width - 1));
        var g = (uint)(y * 255 / Math.Max(1, height - 1));
        var b = (uint)((x + y) * 255 / Math.Max(1, width + height - 2));
        return r << 16 | g << 8 | b;
    }

    /// <summary>Mean absolute difference per channel between two same-sized pixel arrays.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        Assert.Equal(a.Length, b.Length);
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            for (var shift = 0; shift < 24; shift += 8)
            {
                sum += Math.Abs((int)((a[i] >> shift) & 0xFF) - (int)((b[i] >> shift) & 0xFF));
            }
        }
        return sum / (3.0 * a.Length);
    }

    public static byte[] Encode(JpegCodec codec, Framebuffer fb, int quality, JpegSubsampling subsampling = JpegSubsampling.Chroma420)
    {
        using var output = new PooledBufferWriter();
        codec.Encode(fb, fb.Bounds, quality, output, subsampling);
        return output.WrittenSpan.ToArray();
    }
}
