using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 101 "frame ack" (docs/tdp.md), client → server: the browser has drawn everything up
/// to the <see cref="FrameMarkerMessage"/> with this id. <c>| 101 | frame_id uint32 |</c>.
/// </summary>
public sealed record FrameAckMessage(uint FrameId) : TdpMessage
{
    /// <summary>type(1) frame_id(4).</summary>
    public const int FixedSize = 5;

    public override TdpMessageType Type => TdpMessageType.FrameAck;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        w.WriteByte((byte)Type);
        w.WriteUInt32(FrameId);
    }

    internal static FrameAckMessage Decode(ref SpanReader r) => new(r.ReadUInt32("frame_id"));
}
