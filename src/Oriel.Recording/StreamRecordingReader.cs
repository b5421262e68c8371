using System.Buffers;
using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Reads a stream recording (docs/recording.md) incrementally: the header, then one record at a time,
/// from whatever bytes the caller has. Every length is checked against its cap before it is used;
/// malformed or damaged input throws <see cref="DecodeException"/> with the file offset. Besides the
/// framing and checksums the reader checks what it can: times never go back, Sync and End totals
/// agree with the records before them, nothing follows the End record, no unknown critical kind, and
/// Keyframe parts stand where they must (after their Sync or the previous part, at the same time, the
/// last one flagged). It frames no TDP: players split payloads with <see cref="TdpMessageSplitter"/>.
/// No I/O: the gateway reads the file and hands the bytes in.
/// </summary>
public sealed class StreamRecordingReader
{
    private long _position;

    /// <summary>The kind of the last record read (0 before the first), for the keyframe placement rules.</summary>
    private StreamRecordKind _previousKind;

    /// <summary>True after a Keyframe part without the last-part flag: the next record must be the next part.</summary>
    private bool _keyframeOpen;

    /// <summary>A reader for a file from its first byte.</summary>
    public StreamRecordingReader()
    {
    }

    /// <summary>
    /// A reader that starts at a sync point (from the End record's index or an earlier scan) of a file
    /// whose header is already known: hand it the bytes from <see cref="StreamSyncPoint.FileOffset"/> on.
    /// </summary>
    public static StreamRecordingReader StartingAt(StreamRecordingHeader header, StreamSyncPoint syncPoint)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(syncPoint);
        return new StreamRecordingReader
        {
            Header = header,
            _position = syncPoint.FileOffset,
            TimeMicroseconds = syncPoint.TimeMicroseconds,
            RecordCount = syncPoint.RecordIndex,
            ClientBytes = syncPoint.ClientBytes,
            ServerBytes = syncPoint.ServerBytes,
        };
    }

    /// <summary>The header, once read.</summary>
    public StreamRecordingHeader? Header { get; private set; }

    /// <summary>File offset of the next byte the reader expects.</summary>
    public long Position => _position;

    /// <summary>Records read so far, the End record not counted.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Client-to-server data bytes so far.</summary>
    public long ClientBytes { get; private set; }

    /// <summary>Server-to-client data bytes so far.</summary>
    public long ServerBytes { get; private set; }

    /// <summary>The time of the last record read.</summary>
    public long TimeMicroseconds { get; private set; }

    /// <summary>The End record, once read; after it the file must end.</summary>
    public StreamRecordingEnd? End { get; private set; }

    /// <summary>True once the End record has been read.</summary>
    public bool IsEnded => End is not null;

    /// <summary>Reads the header from the start of <paramref name="input"/>. False when more bytes are needed.</summary>
    public bool TryReadHeader(ReadOnlySpan<byte> input, out int consumed)
    {
        if (Header is not null) throw new InvalidOperationException("the header has already been read");
        if (!StreamRecordingHeader.TryDecode(input, out var header, out consumed)) return false;
        Header = header;
        _position = consumed;
        return true;
    }

    /// <summary>Reads the header from a sequence and advances it past the header. False when more bytes are needed.</summary>
    public bool TryReadHeader(ref ReadOnlySequence<byte> input)
    {
        var span = input.IsSingleSegment ? input.FirstSpan : Flatten(input, (int)Math.Min(input.Length, HeaderMaxLength));
        if (!TryReadHeader(span, out var consumed)) return false;
        input = input.Slice(consumed);
        return true;
    }

    /// <summary>The largest header: the prefix, 65535 bytes of fields, the CRC.</summary>
    private const int HeaderMaxLength = StreamRecordingFormat.HeaderPrefixLength + ushort.MaxValue + StreamRecordingFormat.ChecksumLength;

    /// <summary>
    /// Reads the record at the start of <paramref name="input"/> (which must begin at <see cref="Position"/>).
    /// False when more bytes are needed, or when the End record has been read and the input is empty.
    /// The record's payload is a slice of <paramref name="input"/>.
    /// </summary>
    public bool TryReadRecord(ReadOnlyMemory<byte> input, out StreamRecord record, out int consumed)
    {
        record = default;
        consumed = 0;
        if (Header is null) throw new InvalidOperationException("read the header first");
        if (End is not null)
        {
            if (!input.IsEmpty) throw new DecodeException(RecordFrame.What, _position, "bytes follow the End record");
            return false;
        }
        if (!RecordFrame.TryRead(input.Span, _position, out var frame)) return false;
        var offset = _position;
        if (frame.TimeMicroseconds < TimeMicroseconds)
        {
            throw new DecodeException(RecordFrame.What, offset + 1, $"time {frame.TimeMicroseconds} us goes back from {TimeMicroseconds} us");
        }
        Check(frame, offset);
        _previousKind = (StreamRecordKind)frame.Kind;
        var length = frame.Length;
        record = new StreamRecord((StreamRecordKind)frame.Kind, frame.TimeMicroseconds, offset, input.Slice(frame.PayloadStart, frame.Payload.Length));
        TimeMicroseconds = frame.TimeMicroseconds;
        _position += length;
        consumed = length;
        return true;
    }

    /// <summary>
    /// Reads the next record from a sequence and advances it past the record. The payload is a slice of
    /// the sequence when the record lies in one segment, otherwise a copy (at most the capped frame size).
    /// </summary>
    public bool TryReadRecord(ref ReadOnlySequence<byte> input, out StreamRecord record)
    {
        record = default;
        if (input.IsSingleSegment)
        {
            if (!TryReadRecord(input.First, out record, out var n)) return false;
            input = input.Slice(n);
            return true;
        }
        if (Header is null) throw new InvalidOperationException("read the header first");
        if (End is not null)
        {
            if (!input.IsEmpty) throw new DecodeException(RecordFrame.What, _position, "bytes follow the End record");
            return false;
        }
        Span<byte> prefix = stackalloc byte[RecordFrame.MaxPrefixLength];
        var prefixLength = (int)Math.Min(input.Length, prefix.Length);
        input.Slice(0, prefixLength).CopyTo(prefix);
        if (!RecordFrame.TryMeasure(prefix[..prefixLength], _position, out var frameLength, out _, out _)) return false;
        if (input.Length < frameLength) return false;
        var first = input.First;
        ReadOnlyMemory<byte> bytes = first.Length >= frameLength ? first[..frameLength] : input.Slice(0, frameLength).ToArray();
        if (!TryReadRecord(bytes, out record, out var consumed)) return false;
        input = input.Slice(consumed);
        return true;
    }

    private static ReadOnlySpan<byte> Flatten(ReadOnlySequence<byte> input, int length) => input.Slice(0, length).ToArray();

    private void Check(RecordFrame frame, long offset)
    {
        try
        {
            CheckPayload(frame, offset);
        }
        catch (DecodeException e) when (e.What != RecordFrame.What)
        {
            // Payload decoders count from the payload's first byte; report file offsets.
            throw new DecodeException(e.What, offset + frame.PayloadStart + Math.Max(e.Offset, 0), e.Why);
        }
    }

    private void CheckPayload(RecordFrame frame, long offset)
    {
        var payload = frame.Payload;
        var kind = (StreamRecordKind)frame.Kind;
        if (_keyframeOpen && kind != StreamRecordKind.Keyframe)
        {
            throw new DecodeException(RecordFrame.What, offset, $"a {kind} record interrupts a keyframe before its last part");
        }
        switch (kind)
        {
            case StreamRecordKind.ClientData:
            case StreamRecordKind.ServerData:
                if (payload.IsEmpty) throw new DecodeException(RecordFrame.What, offset, "data record with no data");
                if ((StreamRecordKind)frame.Kind == StreamRecordKind.ClientData) ClientBytes += payload.Length;
                else ServerBytes += payload.Length;
                break;
            case StreamRecordKind.SessionStart:
                break;
            case StreamRecordKind.SessionEnd:
                SessionEndMarker.Decode(payload);
                break;
            case StreamRecordKind.Resize:
                ResizeMarker.Decode(payload);
                break;
            case StreamRecordKind.Note:
                NoteMarker.Decode(payload);
                break;
            case StreamRecordKind.Sync:
            {
                var sync = StreamSyncPoint.DecodePayload(payload, offset, frame.TimeMicroseconds);
                if (sync.RecordIndex != RecordCount || sync.ClientBytes != ClientBytes || sync.ServerBytes != ServerBytes)
                {
                    throw new DecodeException(RecordFrame.What, offset,
                        $"sync point (record {sync.RecordIndex}, client {sync.ClientBytes}, server {sync.ServerBytes}) disagrees with the records before it (record {RecordCount}, client {ClientBytes}, server {ServerBytes})");
                }
                break;
            }
            case StreamRecordKind.End:
            {
                var end = StreamRecordingEnd.DecodePayload(payload, frame.TimeMicroseconds);
                if (end.RecordCount != RecordCount || end.ClientBytes != ClientBytes || end.ServerBytes != ServerBytes)
                {
                    throw new DecodeException(RecordFrame.What, offset,
                        $"End totals (records {end.RecordCount}, client {end.ClientBytes}, server {end.ServerBytes}) disagree with the file (records {RecordCount}, client {ClientBytes}, server {ServerBytes})");
                }
                if (end.EndOffset != offset) throw new DecodeException(RecordFrame.What, offset, $"End record says it is at offset {end.EndOffset}");
                CheckIndexBounds(end, offset);
                End = end;
                return; // the End record is not counted
            }
            case StreamRecordKind.Keyframe:
            {
                var part = KeyframePart.Parse(payload);
                var follows = _previousKind == StreamRecordKind.Sync || (_previousKind == StreamRecordKind.Keyframe && _keyframeOpen);
                if (!follows || frame.TimeMicroseconds != TimeMicroseconds)
                {
                    throw new DecodeException(RecordFrame.What, offset, "a Keyframe record must follow its Sync record, or the keyframe's previous part, at the same time");
                }
                _keyframeOpen = !part.Last;
                break;
            }
            default:
                if ((frame.Kind & StreamRecordingFormat.AncillaryBit) == 0)
                {
                    throw new DecodeException(RecordFrame.What, offset, $"unknown critical record kind 0x{frame.Kind:x2}");
                }
                break;
        }
        RecordCount++;
    }

    /// <summary>
    /// Reads a whole file held in memory. <see cref="StreamRecordingReadMode.Strict"/>: the file must be
    /// complete (End record, index matching the Sync records) or <see cref="DecodeException"/> is thrown.
    /// <see cref="StreamRecordingReadMode.Tolerant"/>: returns the complete prefix and says where and why
    /// reading stopped. Payloads are slices of <paramref name="file"/>.
    /// </summary>
    public static StreamRecordingReadResult ReadAll(ReadOnlyMemory<byte> file, StreamRecordingReadMode mode = StreamRecordingReadMode.Strict)
    {
        var reader = new StreamRecordingReader();
        var records = new List<StreamRecord>();
        var syncs = new List<StreamSyncPoint>();
        long? truncatedAt = null;
        DecodeException? error = null;
        var position = 0;
        try
        {
            if (!reader.TryReadHeader(file.Span, out position))
            {
                truncatedAt = 0;
            }
            else
            {
                while (!reader.IsEnded)
                {
                    if (!reader.TryReadRecord(file[position..], out var record, out var n))
                    {
                        truncatedAt = position;
                        break;
                    }
                    position += n;
                    records.Add(record);
                    if (record.Kind == StreamRecordKind.Sync)
                    {
                        syncs.Add(StreamSyncPoint.DecodePayload(record.Payload.Span, record.FileOffset, record.TimeMicroseconds));
                    }
                }
                if (reader.End is { } end)
                {
                    if (position != file.Length) throw new DecodeException(RecordFrame.What, position, $"{file.Length - position} bytes follow the End record");
                    CheckIndex(end, syncs);
                }
            }
        }
        catch (DecodeException e) when (mode == StreamRecordingReadMode.Tolerant)
        {
            error = e;
        }

        if (mode == StreamRecordingReadMode.Strict && truncatedAt is { } at)
        {
            var why = at == file.Length ? "truncated: the file ends before the End record" : "truncated: the file ends inside a record";
            throw new DecodeException(reader.Header is null ? "stream recording header" : RecordFrame.What, at, why);
        }
        return new StreamRecordingReadResult(reader.Header, records, syncs, error is null ? reader.End : null, position, truncatedAt, error);
    }

    private static void CheckIndex(StreamRecordingEnd end, List<StreamSyncPoint> syncs)
    {
        var byOffset = new Dictionary<long, StreamSyncPoint>(syncs.Count);
        foreach (var s in syncs) byOffset[s.FileOffset] = s;
        foreach (var entry in end.Index)
        {
            if (!byOffset.TryGetValue(entry.FileOffset, out var s) || s != entry)
            {
                throw new DecodeException("End", end.EndOffset, $"index entry at offset {entry.FileOffset} does not match a Sync record");
            }
        }
    }

    /// <summary>
    /// Reads the End record of a complete file on its own, for seeking without a scan:
    /// <paramref name="bytes"/> are the file's bytes from <paramref name="endOffset"/> (found with
    /// <see cref="StreamRecordingEnd.TryLocate"/>) to its end. Checks the frame, its checksum and its
    /// own offset; totals can only be checked by reading the whole file.
    /// </summary>
    public static StreamRecordingEnd ReadEndRecord(ReadOnlySpan<byte> bytes, long endOffset)
    {
        if (!RecordFrame.TryRead(bytes, endOffset, out var frame)) throw new DecodeException(RecordFrame.What, endOffset, "truncated End record");
        if (frame.Kind != (byte)StreamRecordKind.End) throw new DecodeException(RecordFrame.What, endOffset, $"record kind 0x{frame.Kind:x2} is not End");
        if (frame.Length != bytes.Length) throw new DecodeException(RecordFrame.What, endOffset + frame.Length, "bytes follow the End record");
        StreamRecordingEnd end;
        try
        {
            end = StreamRecordingEnd.DecodePayload(frame.Payload, frame.TimeMicroseconds);
        }
        catch (DecodeException e)
        {
            throw new DecodeException(e.What, endOffset + frame.PayloadStart + Math.Max(e.Offset, 0), e.Why);
        }
        if (end.EndOffset != endOffset) throw new DecodeException(RecordFrame.What, endOffset, $"End record says it is at offset {end.EndOffset}");
        CheckIndexBounds(end, endOffset);
        return end;
    }

    /// <summary>
    /// What can be checked of an index without the records: every entry lies between the header and the End record,
    /// no later than the End record's time, and within the End record's totals.
    /// </summary>
    private static void CheckIndexBounds(StreamRecordingEnd end, long endOffset)
    {
        foreach (var entry in end.Index)
        {
            if (entry.FileOffset >= endOffset || entry.FileOffset < StreamRecordingFormat.HeaderPrefixLength || entry.TimeMicroseconds > end.DurationMicroseconds)
            {
                throw new DecodeException(RecordFrame.What, endOffset, $"index entry at offset {entry.FileOffset} lies outside the records");
            }
            if (entry.RecordIndex > end.RecordCount || entry.ClientBytes > end.ClientBytes || entry.ServerBytes > end.ServerBytes)
            {
                throw new DecodeException(RecordFrame.What, endOffset, $"index entry at offset {entry.FileOffset} counts more than the End record's totals");
            }
        }
    }
}
