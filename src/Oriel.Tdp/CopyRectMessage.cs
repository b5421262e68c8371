using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 104 "copy rect" (docs/tdp.md), server → client: copy a rectangle of pixels already on
/// the client's canvas (as drawn so far in this update) to another place, as RFB CopyRect does.
/// <c>| 104 | src_left uint32 | src_top uint32 | width uint32 | height uint32 | dst_left uint32 | dst_top uint32 |</c>.
/// Both rectangles lie inside the <see cref="TdpLimits.MaxScreenSide"/>² canvas; an empty one is allowed.
/// </summary>
public sealed record CopyRectMessage(uint SrcLeft, uint SrcTop, uint Width, uint Height, uint DstLeft, uint DstTop) : TdpMessage
{
    /// <summary>type(1) and six uint32 fields.</summary>
    public const int FixedSize = 25;

    private const string SourceOutside = "source rectangle exceeds the 16384x16384 canvas";
    private const string DestinationOutside = "destination rectangle exceeds the 16384x16384 canvas";

    public override TdpMessageType Type => TdpMessageType.CopyRect;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        if (!Fits(SrcLeft, Width) || !Fits(SrcTop, Height))
        {
            throw new ArgumentException(SourceOutside);
        }
        if (!Fits(DstLeft, Width) || !Fits(DstTop, Height))
        {
            throw new ArgumentException(DestinationOutside);
        }
        w.WriteByte((byte)Type);
        w.WriteUInt32(SrcLeft);
        w.WriteUInt32(SrcTop);
        w.WriteUInt32(Width);
        w.WriteUInt32(Height);
        w.WriteUInt32(DstLeft);
        w.WriteUInt32(DstTop);
    }

    internal static CopyRectMessage Decode(ref SpanReader r)
    {
        var m = new CopyRectMessage(
            r.ReadUInt32("src_left"), r.ReadUInt32("src_top"), r.ReadUInt32("width"),
            r.ReadUInt32("height"), r.ReadUInt32("dst_left"), r.ReadUInt32("dst_top"));
        if (!Fits(m.SrcLeft, m.Width) || !Fits(m.SrcTop, m.Height))
        {
            throw r.Error(SourceOutside);
        }
        if (!Fits(m.DstLeft, m.Width) || !Fits(m.DstTop, m.Height))
        {
            throw r.Error(DestinationOutside);
        }
        return m;
    }

    private static bool Fits(uint start, uint extent) => (ulong)start + extent <= TdpLimits.MaxScreenSide;
}
