using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// SCREEN, rfbproto "ExtendedDesktopSize Pseudo-encoding" (also used by SetDesktopSize), 16 bytes:
/// id u32, x-position u16, y-position u16, width u16, height u16, flags u32.
/// </summary>
public readonly record struct DesktopScreen(uint Id, ushort X, ushort Y, ushort Width, ushort Height, uint Flags)
{
    public const int Size = 16;

    public static DesktopScreen Decode(ref SpanReader r)
    {
        var id = r.ReadUInt32("id");
        var x = r.ReadUInt16("x-position");
        var y = r.ReadUInt16("y-position");
        var w = r.ReadUInt16("width");
        var h = r.ReadUInt16("height");
        var flags = r.ReadUInt32("flags");
        return new DesktopScreen(id, x, y, w, h, flags);
    }

    public void Encode(ref SpanWriter w)
    {
        w.WriteUInt32(Id);
        w.WriteUInt16(X);
        w.WriteUInt16(Y);
        w.WriteUInt16(Width);
        w.WriteUInt16(Height);
        w.WriteUInt32(Flags);
    }
}
