using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Payload of the End record, the last record of a complete file (docs/recording.md, "End"):
/// <c>record_count varint | client_bytes varint | server_bytes varint | index_count varint |
/// index_count × (offset_delta, time_delta, record_index_delta, client_delta, server_delta: varints) |
/// end_offset u64</c>. The End record's frame time is the recording's duration. <c>end_offset</c> is
/// the file offset of the End record itself and is always the last 8 bytes of the payload, so the last
/// 12 bytes of a complete file locate it (see <see cref="TryLocate"/>). Bytes between the index and
/// <c>end_offset</c> are ignored.
/// </summary>
public sealed record StreamRecordingEnd(
    long RecordCount,
    long ClientBytes,
    long ServerBytes,
    long DurationMicroseconds,
    IReadOnlyList<StreamSyncPoint> Index,
    long EndOffset)
{
    /// <summary>The smallest encoding of an index entry: five one-byte varints.</summary>
    private const int MinEntryLength = 5;

    public int PayloadSize
    {
        get
        {
            var n = Varint.Size((ulong)RecordCount) + Varint.Size((ulong)ClientBytes) + Varint.Size((ulong)ServerBytes)
                + Varint.Size((ulong)Index.Count) + 8;
            StreamSyncPoint? prev = null;
            foreach (var e in Index)
            {
                n += Varint.Size((ulong)(e.FileOffset - (prev?.FileOffset ?? 0)))
                    + Varint.Size((ulong)(e.TimeMicroseconds - (prev?.TimeMicroseconds ?? 0)))
                    + Varint.Size((ulong)(e.RecordIndex - (prev?.RecordIndex ?? 0)))
                    + Varint.Size((ulong)(e.ClientBytes - (prev?.ClientBytes ?? 0)))
                    + Varint.Size((ulong)(e.ServerBytes - (prev?.ServerBytes ?? 0)));
                prev = e;
            }
            return n;
        }
    }

    public void EncodePayload(ref SpanWriter writer)
    {
        if (Index.Count > StreamRecordingFormat.MaxIndexEntries) throw new InvalidOperationException($"the index has {Index.Count} entries, more than {StreamRecordingFormat.MaxIndexEntries}");
        Varint.Write(ref writer, (ulong)RecordCount);
        Varint.Write(ref writer, (ulong)ClientBytes);
        Varint.Write(ref writer, (ulong)ServerBytes);
        Varint.Write(ref writer, (ulong)Index.Count);
        StreamSyncPoint? prev = null;
        foreach (var e in Index)
        {
            Varint.Write(ref writer, Delta(e.FileOffset, prev?.FileOffset));
            Varint.Write(ref writer, Delta(e.TimeMicroseconds, prev?.TimeMicroseconds));
            Varint.Write(ref writer, Delta(e.RecordIndex, prev?.RecordIndex));
            Varint.Write(ref writer, Delta(e.ClientBytes, prev?.ClientBytes));
            Varint.Write(ref writer, Delta(e.ServerBytes, prev?.ServerBytes));
            prev = e;
        }
        writer.WriteInt64(EndOffset);
    }

    private static ulong Delta(long value, long? previous)
    {
        var d = value - (previous ?? 0);
        if (d < 0) throw new InvalidOperationException("index entries must not go backwards");
        return (ulong)d;
    }

    /// <summary>Decodes an End payload; <paramref name="timeMicroseconds"/> is the record's frame time.</summary>
    public static StreamRecordingEnd DecodePayload(ReadOnlySpan<byte> payload, long timeMicroseconds)
    {
        var r = new SpanReader(payload, "End");
        var records = Varint.Read(ref r, "record_count");
        var client = Varint.Read(ref r, "client_bytes");
        var server = Varint.Read(ref r, "server_bytes");
        var count = Varint.ReadLength(ref r, StreamRecordingFormat.MaxIndexEntries, "index_count");
        if ((long)count * MinEntryLength + 8 > r.Remaining) throw r.Error($"index_count {count} does not fit in the {r.Remaining} bytes left");
        var index = new StreamSyncPoint[count];
        long offset = 0, time = 0, recordIndex = 0, clientBytes = 0, serverBytes = 0;
        for (var i = 0; i < count; i++)
        {
            var d = Varint.Read(ref r, "offset_delta");
            if (d == 0) throw r.Error("index offsets must increase");
            offset = Add(ref r, offset, d);
            time = Add(ref r, time, Varint.Read(ref r, "time_delta"));
            recordIndex = Add(ref r, recordIndex, Varint.Read(ref r, "record_index_delta"));
            clientBytes = Add(ref r, clientBytes, Varint.Read(ref r, "client_delta"));
            serverBytes = Add(ref r, serverBytes, Varint.Read(ref r, "server_delta"));
            index[i] = new StreamSyncPoint(offset, time, recordIndex, clientBytes, serverBytes);
        }
        if (r.Remaining < 8) throw r.Error("end_offset is missing");
        r.Skip(r.Remaining - 8, "extension");
        var endOffset = r.ReadInt64("end_offset");
        if (endOffset < 0) throw r.Error("end_offset is negative");
        return new StreamRecordingEnd(records, client, server, timeMicroseconds, index, endOffset);
    }

    private static long Add(ref SpanReader r, long a, long b)
    {
        var sum = a + b;
        if (sum < a) throw r.Error("index value overflows");
        return sum;
    }

    /// <summary>
    /// Reads the file offset of the End record from the last <see cref="StreamRecordingFormat.TrailerLength"/>
    /// bytes of a file of <paramref name="fileLength"/> bytes. This is a hint for seeking: the record
    /// found there must still be read and checked (<see cref="StreamRecordingReader.ReadEndRecord"/>). False
    /// when the value cannot be an End record's offset (the file is incomplete or not a recording).
    /// </summary>
    public static bool TryLocate(ReadOnlySpan<byte> trailer, long fileLength, out long endOffset)
    {
        endOffset = 0;
        if (trailer.Length < StreamRecordingFormat.TrailerLength) return false;
        var t = trailer[^StreamRecordingFormat.TrailerLength..];
        var value = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(t);
        // Smallest End frame: kind, time, length, 4 one-byte varints, end_offset, CRC.
        const int MinEndFrame = 1 + 1 + 1 + 4 + 8 + StreamRecordingFormat.ChecksumLength;
        if (value < StreamRecordingFormat.HeaderPrefixLength || value > fileLength - MinEndFrame) return false;
        endOffset = value;
        return true;
    }
}
