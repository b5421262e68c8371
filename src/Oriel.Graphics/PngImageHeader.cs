namespace Oriel.Graphics;

/// <summary>
/// The facts of a PNG's IHDR chunk (PNG specification, 3rd edition, 11.2.1) that
/// <see cref="PngDecoder"/> needs: size, bit depth and colour type. Only combinations the decoder
/// accepts are ever constructed.
/// </summary>
public readonly record struct PngImageHeader(int Width, int Height, int BitDepth, int ColorType)
{
    /// <summary>Greyscale (colour type 0).</summary>
    public const int ColorTypeGreyscale = 0;

    /// <summary>Truecolour, R G B (colour type 2).</summary>
    public const int ColorTypeTrueColor = 2;

    /// <summary>Indexed colour with a PLTE palette (colour type 3).</summary>
    public const int ColorTypeIndexed = 3;

    /// <summary>Greyscale with alpha (colour type 4).</summary>
    public const int ColorTypeGreyscaleAlpha = 4;

    /// <summary>Truecolour with alpha, R G B A (colour type 6).</summary>
    public const int ColorTypeTrueColorAlpha = 6;

    /// <summary>Samples per pixel of the colour type.</summary>
    public int Channels => ColorType switch
    {
        ColorTypeTrueColor => 3,
        ColorTypeGreyscaleAlpha => 2,
        ColorTypeTrueColorAlpha => 4,
        _ => 1,
    };

    /// <summary>Bits per pixel of one scanline.</summary>
    public int BitsPerPixel => Channels * BitDepth;

    /// <summary>Bytes of one unfiltered scanline, the filter-type byte not counted.</summary>
    public int RowBytes => (int)((((long)Width * BitsPerPixel) + 7) / 8);

    /// <summary>The byte distance filters look back (at least 1; PNG 9.2 "bpp").</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Pixels in the image.</summary>
    public long PixelCount => (long)Width * Height;
}
