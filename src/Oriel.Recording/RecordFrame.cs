using System.Buffers.Binary;
using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Framing of one record, separate from its meaning (docs/recording.md, "Records"):
/// <c>kind u8 | time_us varint | length varint | payload | crc32c u32</c>, the CRC covering everything
/// before it. The length is checked against its cap before anything else happens.
/// </summary>
internal readonly ref struct RecordFrame
{
    public const string What = "stream record";

    /// <summary>kind + two varints of at most nine bytes.</summary>
    public const int MaxPrefixLength = 1 + (2 * Varint.MaxLength);

    public RecordFrame(byte kind, long time, int payloadStart, ReadOnlySpan<byte> payload)
    {
        Kind = kind;
        TimeMicroseconds = time;
        PayloadStart = payloadStart;
        Payload = payload;
    }

    public byte Kind { get; }
    public long TimeMicroseconds { get; }
    public int PayloadStart { get; }
    public ReadOnlySpan<byte> Payload { get; }
    public int Length => PayloadStart + Payload.Length + StreamRecordingFormat.ChecksumLength;

    /// <summary>
    /// Finds the length of the frame at the start of <paramref name="input"/> (file offset
    /// <paramref name="offset"/>). False when more bytes are needed to know; <see cref="DecodeException"/>
    /// for a zero kind, a malformed varint or a length over the cap.
    /// </summary>
    public static bool TryMeasure(ReadOnlySpan<byte> input, long offset, out int frameLength, out int payloadStart, out long time)
    {
        frameLength = 0;
        payloadStart = 0;
        time = 0;
        if (input.IsEmpty) return false;
        if (input[0] == 0) throw new DecodeException(What, offset, "record kind 0 is not valid (zero-filled or damaged data)");
        if (!Varint.TryRead(input[1..], offset + 1, What, "time_us", out time, out var timeLength)) return false;
        var lengthAt = 1 + timeLength;
        if (!Varint.TryRead(input[lengthAt..], offset + lengthAt, What, "length", out var length, out var lengthLength)) return false;
        if (length > StreamRecordingFormat.MaxPayloadLength)
        {
            throw new DecodeException(What, offset + lengthAt, $"payload length {length} exceeds the cap of {StreamRecordingFormat.MaxPayloadLength}");
        }
        payloadStart = lengthAt + lengthLength;
        frameLength = payloadStart + (int)length + StreamRecordingFormat.ChecksumLength;
        return true;
    }

    /// <summary>Measures, waits for the whole frame, and checks its CRC. False when more bytes are needed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> input, long offset, out RecordFrame frame)
    {
        frame = default;
        if (!TryMeasure(input, offset, out var frameLength, out var payloadStart, out var time)) return false;
        if (input.Length < frameLength) return false;
        var covered = frameLength - StreamRecordingFormat.ChecksumLength;
        var expected = BinaryPrimitives.ReadUInt32BigEndian(input[covered..]);
        var actual = Crc32C.Compute(input[..covered]);
        if (expected != actual) throw new DecodeException(What, offset + covered, $"checksum mismatch (stored {expected:x8}, computed {actual:x8})");
        frame = new RecordFrame(input[0], time, payloadStart, input[payloadStart..covered]);
        return true;
    }

    /// <summary>Size of a frame with a payload of <paramref name="payloadLength"/> bytes at <paramref name="time"/>.</summary>
    public static int SizeOf(long time, int payloadLength) =>
        1 + Varint.Size((ulong)time) + Varint.Size((ulong)payloadLength) + payloadLength + StreamRecordingFormat.ChecksumLength;

    /// <summary>Writes a whole frame; <paramref name="destination"/> must be exactly <see cref="SizeOf"/> bytes.</summary>
    public static void Write(Span<byte> destination, byte kind, long time, ReadOnlySpan<byte> payload)
    {
        var w = new SpanWriter(destination);
        w.WriteByte(kind);
        Varint.Write(ref w, (ulong)time);
        Varint.Write(ref w, (ulong)payload.Length);
        w.WriteBytes(payload);
        w.WriteUInt32(Crc32C.Compute(destination[..w.Position]));
        if (w.Remaining != 0) throw new InvalidOperationException("record frame size mismatch");
    }
}
