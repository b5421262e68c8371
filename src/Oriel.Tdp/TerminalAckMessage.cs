using System.Buffers.Binary;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 111 "terminal ack" (docs/tdp.md, "Terminal flow control"), client → server: the browser's
/// terminal has consumed <see cref="Bytes"/> more bytes of terminal output (108) data. A credit, not a
/// running total: the server adds it to what was acknowledged before, so the output it has sent and not yet
/// seen acknowledged stays within its window. <c>| 111 | bytes uint32 |</c>; 0 is refused (it would say
/// nothing). Whether the credit exceeds what was sent is the session's check, not the codec's.
/// </summary>
public sealed record TerminalAckMessage(uint Bytes) : TdpMessage
{
    /// <summary>type(1) bytes(4).</summary>
    public const int FixedSize = 5;

    public override TdpMessageType Type => TdpMessageType.TerminalAck;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        if (Bytes == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Bytes), Bytes, "bytes must be at least 1");
        }
        w.WriteByte((byte)Type);
        w.WriteUInt32(Bytes);
    }

    internal static TerminalAckMessage Decode(ref SpanReader r)
    {
        if (r.Remaining >= 4 && BinaryPrimitives.ReadUInt32BigEndian(r.RemainingSpan) == 0)
        {
            throw r.Error("bytes 0 is outside 1..4294967295");
        }
        return new(r.ReadUInt32("bytes"));
    }
}
