using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 103 "desktop size" (docs/tdp.md), server → client: the remote desktop's size, sent
/// once at session start before any frame and again whenever it changes.
/// <c>| 103 | width uint32 | height uint32 |</c>; each side 1..<see cref="TdpLimits.MaxScreenSide"/>.
/// </summary>
public sealed record DesktopSizeMessage(uint Width, uint Height) : TdpMessage
{
    /// <summary>type(1) width(4) height(4).</summary>
    public const int FixedSize = 9;

    public override TdpMessageType Type => TdpMessageType.DesktopSize;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckScreenSide(Width, "width");
        TdpFields.CheckScreenSide(Height, "height");
        w.WriteByte((byte)Type);
        w.WriteUInt32(Width);
        w.WriteUInt32(Height);
    }

    internal static DesktopSizeMessage Decode(ref SpanReader r)
    {
        var width = TdpFields.ReadScreenSide(ref r, "width");
        var height = TdpFields.ReadScreenSide(ref r, "height");
        return new(width, height);
    }
}
