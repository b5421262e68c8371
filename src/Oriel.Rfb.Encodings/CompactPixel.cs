using System.Runtime.CompilerServices;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// Reads the shortened pixel types: CPIXEL (ZRLE and TRLE, [RFC 6143] 7.7.5/7.7.6) and TPIXEL
/// (Tight, rfbproto "Tight Encoding"). A CPIXEL is 3 bytes when the format is true colour,
/// 32 bpp, depth 24 or less and all colour bits fit in the least (preferred) or most significant
/// 3 bytes. A TPIXEL is 3 bytes (red, green, blue) when the format is true colour, 32 bpp,
/// depth 24 with every colour max 255. Otherwise both are a whole PIXEL.
/// </summary>
internal readonly struct CompactPixel
{
    private const byte ModeFull = 0;
    private const byte ModeLeastLittle = 1;
    private const byte ModeLeastBig = 2;
    private const byte ModeMostLittle = 3;
    private const byte ModeMostBig = 4;
    private const byte ModeRgb = 5;

    private readonly PixelConverter _pixels;
    private readonly byte _mode;

    private CompactPixel(PixelConverter pixels, int size, byte mode)
    {
        _pixels = pixels;
        Size = size;
        _mode = mode;
    }

    /// <summary>Bytes per compact pixel on the wire.</summary>
    public int Size { get; }

    /// <summary>True for a 3-byte TPIXEL (red, green, blue bytes).</summary>
    public bool IsRgb => _mode == ModeRgb;

    /// <summary>The converter for whole pixels.</summary>
    public PixelConverter Pixels => _pixels;

    public static CompactPixel ForCPixel(PixelConverter pixels)
    {
        var f = pixels.Format;
        if (f.TrueColor && f.BitsPerPixel == 32 && f.Depth <= 24)
        {
            var mask = ((ulong)f.RedMax << f.RedShift) | ((ulong)f.GreenMax << f.GreenShift) | ((ulong)f.BlueMax << f.BlueShift);
            if (mask <= 0xFFFFFF)
            {
                return new CompactPixel(pixels, 3, f.BigEndian ? ModeLeastBig : ModeLeastLittle);
            }
            if ((mask & 0xFF) == 0 && mask <= 0xFFFFFFFF)
            {
                return new CompactPixel(pixels, 3, f.BigEndian ? ModeMostBig : ModeMostLittle);
            }
        }
        return new CompactPixel(pixels, pixels.BytesPerPixel, ModeFull);
    }

    public static CompactPixel ForTPixel(PixelConverter pixels)
    {
        var f = pixels.Format;
        if (f.TrueColor && f.BitsPerPixel == 32 && f.Depth == 24 && f.RedMax == 255 && f.GreenMax == 255 && f.BlueMax == 255)
        {
            return new CompactPixel(pixels, 3, ModeRgb);
        }
        return new CompactPixel(pixels, pixels.BytesPerPixel, ModeFull);
    }

    /// <summary>Reads one compact pixel (Size bytes) and returns 0x00RRGGBB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read(ReadOnlySpan<byte> s) => _mode switch
    {
        ModeFull => _pixels.ReadPixel(s),
        ModeLeastLittle => _pixels.ToRgb((uint)(s[0] | s[1] << 8 | s[2] << 16)),
        ModeLeastBig => _pixels.ToRgb((uint)(s[0] << 16 | s[1] << 8 | s[2])),
        ModeMostLittle => _pixels.ToRgb((uint)(s[0] | s[1] << 8 | s[2] << 16) << 8),
        ModeMostBig => _pixels.ToRgb((uint)(s[0] << 16 | s[1] << 8 | s[2]) << 8),
        _ => (uint)(s[0] << 16 | s[1] << 8 | s[2]),
    };

    /// <summary>Reads dst.Length compact pixels packed in <paramref name="src"/>.</summary>
    public void ReadRow(ReadOnlySpan<byte> src, Span<uint> dst)
    {
        switch (_mode)
        {
            case ModeFull:
                _pixels.ConvertRow(src[..(dst.Length * Size)], dst);
                return;
            case ModeRgb:
                for (var i = 0; i < dst.Length; i++)
                {
                    var o = i * 3;
                    dst[i] = (uint)(src[o] << 16 | src[o + 1] << 8 | src[o + 2]);
                }
                return;
            case ModeLeastLittle when _pixels.IsRgb888:
                for (var i = 0; i < dst.Length; i++)
                {
                    var o = i * 3;
                    dst[i] = (uint)(src[o] | src[o + 1] << 8 | src[o + 2] << 16);
                }
                return;
            default:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = Read(src.Slice(i * 3, 3));
                }
                return;
        }
    }
}
