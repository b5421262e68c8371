using System.Buffers.Binary;

namespace Oriel.Rfb.Encodings.Tests;

/// <summary>A random image in a pixel format, and the test's own encoders for its pixels.</summary>
internal sealed class TestImage
{
    public TestImage(string format, int width, int height, int seed, int colours = 0)
    {
        Format = TestFormats.Get(format);
        Width = width;
        Height = height;
        Values = new uint[width * height];
        var rng = new Random(seed);
        var palette = new uint[Math.Max(colours, 1)];
        for (var i = 0; i < palette.Length; i++) palette[i] = RandomValue(rng);
        for (var i = 0; i < Values.Length; i++)
        {
            Values[i] = colours > 0 ? palette[rng.Next(colours)] : RandomValue(rng);
        }
    }

    public PixelFormat Format { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Raw pixel values, row-major.</summary>
    public uint[] Values { get; }

    private uint RandomValue(Random rng)
    {
        var f = Format;
        if (!f.TrueColor) return (uint)rng.Next(256);
        return (uint)rng.Next(f.RedMax + 1) << f.RedShift | (uint)rng.Next(f.GreenMax + 1) << f.GreenShift | (uint)rng.Next(f.BlueMax + 1) << f.BlueShift;
    }

    public byte[] Pixel(uint v)
    {
        var b = new byte[Format.BytesPerPixel];
        switch (b.Length)
        {
            case 4 when Format.BigEndian: BinaryPrimitives.WriteUInt32BigEndian(b, v); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(b, v); break;
            case 2 when Format.BigEndian: BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); break;
            default: b[0] = (byte)v; break;
        }
        return b;
    }

    /// <summary>CPIXEL per [RFC 6143] 7.7.6, written from the rule independently of the decoder.</summary>
    public byte[] CPixel(uint v)
    {
        var p = Pixel(v);
        var f = Format;
        if (!f.TrueColor || f.BitsPerPixel != 32 || f.Depth > 24) return p;
        var mask = (ulong)f.RedMax << f.RedShift | (ulong)f.GreenMax << f.GreenShift | (ulong)f.BlueMax << f.BlueShift;
        var least = mask <= 0xFFFFFF;
        var most = (mask & 0xFF) == 0;
        if (!least && !most) return p;
        // Least significant bytes: drop the top byte (the last in LE, the first in BE).
        return least == !f.BigEndian ? p[..3] : p[1..];
    }

    /// <summary>TPIXEL per rfbproto "Tight Encoding".</summary>
    public byte[] TPixel(uint v)
    {
        var f = Format;
        if (f.TrueColor && f.BitsPerPixel == 32 && f.Depth == 24 && f.RedMax == 255 && f.GreenMax == 255 && f.BlueMax == 255)
        {
            return [(byte)(v >> f.RedShift), (byte)(v >> f.GreenShift), (byte)(v >> f.BlueShift)];
        }
        return Pixel(v);
    }

    public byte[] Raw() => [.. Values.SelectMany(Pixel)];
}
