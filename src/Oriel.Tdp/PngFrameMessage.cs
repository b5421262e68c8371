using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 2 "PNG frame", server → client: a PNG image for the region whose top-left corner
/// is (<see cref="Left"/>, <see cref="Top"/>) and bottom-right corner (<see cref="Right"/>, <see cref="Bottom"/>).
/// <c>| 2 | left uint32 | top uint32 | right uint32 | bottom uint32 | data []byte |</c>; data runs to the end
/// of the message (at most <see cref="TdpLimits.MaxPngBytes"/>). Prefer <see cref="PngFrame2Message"/>, which
/// carries its length.
/// </summary>
public sealed record PngFrameMessage(uint Left, uint Top, uint Right, uint Bottom, byte[] Data) : TdpMessage
{
    /// <summary>type(1) left(4) top(4) right(4) bottom(4).</summary>
    public const int HeaderSize = 17;

    public override TdpMessageType Type => TdpMessageType.PngFrame;

    public override int Size => HeaderSize + Data.Length;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(Data.Length, TdpLimits.MaxPngBytes, "data");
        w.WriteByte((byte)Type);
        w.WriteUInt32(Left);
        w.WriteUInt32(Top);
        w.WriteUInt32(Right);
        w.WriteUInt32(Bottom);
        w.WriteBytes(Data);
    }

    internal static PngFrameMessage Decode(ref SpanReader r)
    {
        var left = r.ReadUInt32("left");
        var top = r.ReadUInt32("top");
        var right = r.ReadUInt32("right");
        var bottom = r.ReadUInt32("bottom");
        if (r.Remaining > TdpLimits.MaxPngBytes)
        {
            throw r.Error($"data {r.Remaining} exceeds the cap of {TdpLimits.MaxPngBytes}");
        }
        return new(left, top, right, bottom, r.ReadSpan(r.Remaining, "data").ToArray());
    }
}
