using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// A rectangle header inside a FramebufferUpdate, [RFC 6143] 7.6.1: x-position u16,
/// y-position u16, width u16, height u16, encoding-type s32. 12 bytes. For pseudo-encodings the
/// four numbers carry other meanings (hotspot, new size, reason and status).
/// </summary>
public readonly record struct RectangleHeader(ushort X, ushort Y, ushort Width, ushort Height, int EncodingType)
{
    public const int Length = 12;

    public Rect Rect => new(X, Y, Width, Height);

    public static RectangleHeader Decode(ref SpanReader reader) =>
        new(reader.ReadUInt16("x-position"), reader.ReadUInt16("y-position"), reader.ReadUInt16("width"),
            reader.ReadUInt16("height"), reader.ReadInt32("encoding-type"));

    public int Size => Length;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteUInt16(X);
        writer.WriteUInt16(Y);
        writer.WriteUInt16(Width);
        writer.WriteUInt16(Height);
        writer.WriteInt32(EncodingType);
    }
}
