using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// A place a player can start reading from: the file offset of a Sync record, its time, and the
/// running totals before it. The Sync record's payload (docs/recording.md, "Sync") carries
/// <c>record_index varint | client_bytes varint | server_bytes varint</c>; the offset and the time
/// come from the record's position and frame. The End record's index lists sync points.
/// </summary>
public sealed record StreamSyncPoint(long FileOffset, long TimeMicroseconds, long RecordIndex, long ClientBytes, long ServerBytes)
{
    /// <summary>Size of the Sync record payload.</summary>
    public int PayloadSize => Varint.Size((ulong)RecordIndex) + Varint.Size((ulong)ClientBytes) + Varint.Size((ulong)ServerBytes);

    /// <summary>Writes the Sync record payload.</summary>
    public void EncodePayload(ref SpanWriter writer)
    {
        Varint.Write(ref writer, (ulong)RecordIndex);
        Varint.Write(ref writer, (ulong)ClientBytes);
        Varint.Write(ref writer, (ulong)ServerBytes);
    }

    /// <summary>Decodes a Sync record payload found at <paramref name="fileOffset"/> with frame time <paramref name="timeMicroseconds"/>. Trailing bytes are ignored.</summary>
    public static StreamSyncPoint DecodePayload(ReadOnlySpan<byte> payload, long fileOffset, long timeMicroseconds)
    {
        var r = new SpanReader(payload, "Sync");
        var index = Varint.Read(ref r, "record_index");
        var client = Varint.Read(ref r, "client_bytes");
        var server = Varint.Read(ref r, "server_bytes");
        return new StreamSyncPoint(fileOffset, timeMicroseconds, index, client, server);
    }
}
