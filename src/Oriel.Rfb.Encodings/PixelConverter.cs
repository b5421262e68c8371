using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// Turns server pixels of any RFC 6143 format into framebuffer pixels 0x00RRGGBB.
/// Colour-map formats use the map set by SetColourMapEntries ([RFC 6143] 7.6.2).
/// </summary>
public sealed class PixelConverter
{
    private readonly uint[] _colourMap = new uint[256];
    private readonly byte[] _redLut;
    private readonly byte[] _greenLut;
    private readonly byte[] _blueLut;
    private readonly bool _fastRgb888;

    public PixelConverter(PixelFormat format)
    {
        Format = format;
        BytesPerPixel = format.BytesPerPixel;
        _redLut = Scale(format.RedMax);
        _greenLut = Scale(format.GreenMax);
        _blueLut = Scale(format.BlueMax);
        _fastRgb888 = format.TrueColor && format.BitsPerPixel == 32 && !format.BigEndian &&
                      format.RedMax == 255 && format.GreenMax == 255 && format.BlueMax == 255 &&
                      format.RedShift == 16 && format.GreenShift == 8 && format.BlueShift == 0;
    }

    public PixelFormat Format { get; }
    public int BytesPerPixel { get; }

    /// <summary>True for 32 bpp little-endian 0x00RRGGBB, where a raw value needs no conversion but masking.</summary>
    public bool IsRgb888 => _fastRgb888;

    /// <summary>The 256-entry colour map (index to 0x00RRGGBB) for non-true-colour formats.</summary>
    public Span<uint> ColourMap => _colourMap;

    private static byte[] Scale(ushort max)
    {
        // Map 0..max to 0..255 (max is at most 65535; values above max are masked off by the caller).
        var n = Math.Min((int)max, 65535) + 1;
        var lut = new byte[n];
        for (var i = 0; i < n; i++)
        {
            lut[i] = max == 0 ? (byte)0 : (byte)((i * 255 + max / 2) / max);
        }
        return lut;
    }

    /// <summary>Reads one raw server pixel value (BytesPerPixel bytes, server endianness).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadRaw(ReadOnlySpan<byte> src) => BytesPerPixel switch
    {
        4 => Format.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(src) : BinaryPrimitives.ReadUInt32LittleEndian(src),
        2 => Format.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(src) : BinaryPrimitives.ReadUInt16LittleEndian(src),
        _ => src[0],
    };

    /// <summary>Converts a raw pixel value (as read by <see cref="ReadRaw"/>) to 0x00RRGGBB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ToRgb(uint value)
    {
        if (_fastRgb888) return value & 0x00FFFFFF;
        if (!Format.TrueColor) return _colourMap[value & 0xFF];
        var f = Format;
        var r = _redLut[(value >> f.RedShift) & f.RedMax];
        var g = _greenLut[(value >> f.GreenShift) & f.GreenMax];
        var b = _blueLut[(value >> f.BlueShift) & f.BlueMax];
        return (uint)(r << 16 | g << 8 | b);
    }

    /// <summary>Reads and converts one pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadPixel(ReadOnlySpan<byte> src) => ToRgb(ReadRaw(src));

    /// <summary>Converts a run of packed server pixels to 0x00RRGGBB.</summary>
    public void ConvertRow(ReadOnlySpan<byte> src, Span<uint> dst)
    {
        if (_fastRgb888)
        {
            for (var i = 0; i < dst.Length; i++)
            {
                dst[i] = BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(i * 4)) & 0x00FFFFFF;
            }
            return;
        }
        var bpp = BytesPerPixel;
        for (var i = 0; i < dst.Length; i++)
        {
            dst[i] = ReadPixel(src.Slice(i * bpp));
        }
    }
}
