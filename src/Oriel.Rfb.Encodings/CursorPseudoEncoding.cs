using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// Cursor pseudo-encoding (-239), rfbproto "Cursor Pseudo-encoding": the rectangle's x, y are the
/// hotspot and width, height the cursor size; the payload is width*height PIXELs then a bitmask
/// of floor((width+7)/8) bytes a row, most significant bit leftmost, 1 = pixel visible.
/// Converts to straight (non-premultiplied) RGBA, 4 bytes a pixel, alpha 255 or 0 from the mask.
/// </summary>
public static class CursorPseudoEncoding
{
    /// <summary>Largest cursor side accepted.</summary>
    public const int MaxSide = 256;

    /// <summary>
    /// Payload bytes that follow the rectangle header for a cursor of this size (0 for an empty
    /// cursor). Throws <see cref="DecodeException"/> when a side exceeds <see cref="MaxSide"/>.
    /// </summary>
    public static int PayloadLength(int width, int height, int bytesPerPixel)
    {
        CheckSize(width, height);
        if (bytesPerPixel is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(bytesPerPixel), bytesPerPixel, "bytes per pixel must be 1, 2 or 4");
        }
        return width * height * bytesPerPixel + MaskRowBytes(width) * height;
    }

    /// <summary>Bytes in one row of the bitmask.</summary>
    public static int MaskRowBytes(int width) => (width + 7) / 8;

    /// <summary>Decodes a payload (exactly <see cref="PayloadLength"/> bytes) to a new RGBA array of width*height*4 bytes.</summary>
    public static byte[] DecodeRgba(ReadOnlySpan<byte> payload, int width, int height, PixelConverter pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        CheckSize(width, height);
        var rgba = new byte[width * height * 4];
        DecodeRgba(payload, width, height, pixels, rgba);
        return rgba;
    }

    /// <summary>Decodes a payload into <paramref name="rgba"/> (at least width*height*4 bytes).</summary>
    public static void DecodeRgba(ReadOnlySpan<byte> payload, int width, int height, PixelConverter pixels, Span<byte> rgba)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var length = PayloadLength(width, height, pixels.BytesPerPixel);
        if (payload.Length != length)
        {
            throw new DecodeException("Cursor", 0, $"payload is {payload.Length} bytes, {length} expected for {width}x{height}");
        }
        if (rgba.Length < width * height * 4)
        {
            throw new ArgumentException("RGBA buffer too small", nameof(rgba));
        }
        var bpp = pixels.BytesPerPixel;
        var maskRow = MaskRowBytes(width);
        var mask = payload[(width * height * bpp)..];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = y * width + x;
                var c = pixels.ReadPixel(payload.Slice(i * bpp, bpp));
                var visible = ((mask[y * maskRow + (x >> 3)] >> (7 - (x & 7))) & 1) != 0;
                var o = i * 4;
                rgba[o] = (byte)(c >> 16);
                rgba[o + 1] = (byte)(c >> 8);
                rgba[o + 2] = (byte)c;
                rgba[o + 3] = visible ? (byte)255 : (byte)0;
            }
        }
    }

    private static void CheckSize(int width, int height)
    {
        if (width < 0 || height < 0 || width > MaxSide || height > MaxSide)
        {
            throw new DecodeException("Cursor", $"cursor size {width}x{height} is outside 0..{MaxSide} per side");
        }
    }
}
