namespace Oriel.TestPeers;

/// <summary>A screen image read back from an X server: row-major pixels 0x00RRGGBB.</summary>
public sealed class XImage
{
    public XImage(int width, int height, uint[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width < 0 || height < 0 || (long)width * height != pixels.Length)
        {
            throw new ArgumentException($"{pixels.Length} pixels do not make a {width}x{height} image", nameof(pixels));
        }
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major, 0x00RRGGBB.</summary>
    public uint[] Pixels { get; }

    public uint At(int x, int y) => Pixels[y * Width + x];

    /// <summary>Counts the pixels that differ from <paramref name="other"/> (same size required), and the first one that does.</summary>
    public int CountDifferences(ReadOnlySpan<uint> other, out (int X, int Y, uint Expected, uint Actual)? first)
    {
        if (other.Length != Pixels.Length) throw new ArgumentException("sizes differ", nameof(other));
        first = null;
        var count = 0;
        for (var i = 0; i < Pixels.Length; i++)
        {
            if (Pixels[i] == other[i]) continue;
            if (count == 0) first = (i % Width, i / Width, Pixels[i], other[i]);
            count++;
        }
        return count;
    }
}
