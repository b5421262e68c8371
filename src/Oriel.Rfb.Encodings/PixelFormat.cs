using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// PIXEL_FORMAT, [RFC 6143] 7.4. 16 bytes on the wire:
/// bits-per-pixel u8, depth u8, big-endian-flag u8, true-colour-flag u8, red-max u16, green-max u16,
/// blue-max u16, red-shift u8, green-shift u8, blue-shift u8, padding 3.
/// </summary>
public sealed record PixelFormat(
    byte BitsPerPixel,
    byte Depth,
    bool BigEndian,
    bool TrueColor,
    ushort RedMax,
    ushort GreenMax,
    ushort BlueMax,
    byte RedShift,
    byte GreenShift,
    byte BlueShift)
{
    public const int Size = 16;

    /// <summary>32 bpp, depth 24, little-endian, 0x00RRGGBB: what the engine asks servers for by default.</summary>
    public static readonly PixelFormat Rgb888 = new(32, 24, false, true, 255, 255, 255, 16, 8, 0);

    public int BytesPerPixel => BitsPerPixel / 8;

    public static PixelFormat Decode(ref SpanReader r)
    {
        var start = r.Position;
        var bpp = r.ReadByte("bits-per-pixel");
        var depth = r.ReadByte("depth");
        var be = r.ReadByte("big-endian-flag") != 0;
        var tc = r.ReadByte("true-colour-flag") != 0;
        var rm = r.ReadUInt16("red-max");
        var gm = r.ReadUInt16("green-max");
        var bm = r.ReadUInt16("blue-max");
        var rs = r.ReadByte("red-shift");
        var gs = r.ReadByte("green-shift");
        var bs = r.ReadByte("blue-shift");
        r.Skip(3);
        var pf = new PixelFormat(bpp, depth, be, tc, rm, gm, bm, rs, gs, bs);
        var problem = pf.Validate();
        if (problem is not null)
        {
            throw new DecodeException("PIXEL_FORMAT", start, problem);
        }
        return pf;
    }

    public void Encode(ref SpanWriter w)
    {
        w.WriteByte(BitsPerPixel);
        w.WriteByte(Depth);
        w.WriteBool(BigEndian);
        w.WriteBool(TrueColor);
        w.WriteUInt16(RedMax);
        w.WriteUInt16(GreenMax);
        w.WriteUInt16(BlueMax);
        w.WriteByte(RedShift);
        w.WriteByte(GreenShift);
        w.WriteByte(BlueShift);
        w.WriteZeros(3);
    }

    /// <summary>Null when the format is one the RFC allows, else why not.</summary>
    public string? Validate()
    {
        if (BitsPerPixel is not (8 or 16 or 32)) return $"bits-per-pixel {BitsPerPixel} is not 8, 16 or 32";
        if (Depth == 0 || Depth > BitsPerPixel) return $"depth {Depth} does not fit {BitsPerPixel} bits per pixel";
        if (TrueColor)
        {
            if (RedShift >= BitsPerPixel || GreenShift >= BitsPerPixel || BlueShift >= BitsPerPixel) return "colour shift beyond the pixel";
            if (RedMax == 0 || GreenMax == 0 || BlueMax == 0) return "a colour max of zero";
        }
        return null;
    }
}
