using System.Buffers.Binary;

namespace Oriel.TestPeers;

/// <summary>The true-colour PIXEL_FORMAT fields ([RFC 6143] 7.4) a <see cref="ScriptedVncServer"/> needs to encode pixels in a client's format.</summary>
internal sealed record ScriptedPixelFormat(int BitsPerPixel, bool BigEndian, int RedMax, int GreenMax, int BlueMax, int RedShift, int GreenShift, int BlueShift)
{
    /// <summary>32 bpp, depth 24, little-endian, 0x00RRGGBB.</summary>
    public static ScriptedPixelFormat Default { get; } = new(32, false, 255, 255, 255, 16, 8, 0);

    public static ScriptedPixelFormat Read(ReadOnlySpan<byte> b)
    {
        var bpp = b[0] is 8 or 16 or 32 ? b[0] : 32;
        return new ScriptedPixelFormat(
            bpp,
            b[2] != 0,
            BinaryPrimitives.ReadUInt16BigEndian(b[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(b[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(b[8..]),
            b[10],
            b[11],
            b[12]);
    }

    public void Write(Span<byte> b)
    {
        b[0] = (byte)BitsPerPixel;
        b[1] = 24;
        b[2] = BigEndian ? (byte)1 : (byte)0;
        b[3] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(b[4..], (ushort)RedMax);
        BinaryPrimitives.WriteUInt16BigEndian(b[6..], (ushort)GreenMax);
        BinaryPrimitives.WriteUInt16BigEndian(b[8..], (ushort)BlueMax);
        b[10] = (byte)RedShift;
        b[11] = (byte)GreenShift;
        b[12] = (byte)BlueShift;
        b[13..16].Clear();
    }

    /// <summary>Encodes 0x00RRGGBB as one pixel of this format.</summary>
    public void Encode(uint rgb, Span<byte> pixel)
    {
        var r = (rgb >> 16) & 0xFF;
        var g = (rgb >> 8) & 0xFF;
        var bl = rgb & 0xFF;
        var v = (r * (uint)RedMax / 255) << (RedShift & 31) | (g * (uint)GreenMax / 255) << (GreenShift & 31) | (bl * (uint)BlueMax / 255) << (BlueShift & 31);
        switch (BitsPerPixel)
        {
            case 32:
                if (BigEndian) BinaryPrimitives.WriteUInt32BigEndian(pixel, v);
                else BinaryPrimitives.WriteUInt32LittleEndian(pixel, v);
                break;
            case 16:
                if (BigEndian) BinaryPrimitives.WriteUInt16BigEndian(pixel, (ushort)v);
                else BinaryPrimitives.WriteUInt16LittleEndian(pixel, (ushort)v);
                break;
            default:
                pixel[0] = (byte)v;
                break;
        }
    }
}
