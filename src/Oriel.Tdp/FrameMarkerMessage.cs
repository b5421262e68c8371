using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 100 "frame marker" (docs/tdp.md), server → client: ends the batch of image and copy
/// messages of one update. The client answers each with <see cref="FrameAckMessage"/> once drawn.
/// <c>| 100 | frame_id uint32 |</c>.
/// </summary>
public sealed record FrameMarkerMessage(uint FrameId) : TdpMessage
{
    /// <summary>type(1) frame_id(4).</summary>
    public const int FixedSize = 5;

    public override TdpMessageType Type => TdpMessageType.FrameMarker;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        w.WriteByte((byte)Type);
        w.WriteUInt32(FrameId);
    }

    internal static FrameMarkerMessage Decode(ref SpanReader r) => new(r.ReadUInt32("frame_id"));
}
