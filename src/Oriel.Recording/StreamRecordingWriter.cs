using System.Buffers;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Writes a stream recording (docs/recording.md) into a caller-supplied <see cref="IBufferWriter{T}"/>:
/// the header at construction, then one complete, checksummed record per call (data longer than
/// <see cref="StreamRecordingWriterOptions.MaxDataRecordLength"/> becomes several records), Sync records
/// on the configured intervals, and the End record at <see cref="Finish"/>. The caller persists what was
/// written after each call (append to the file); a crash then loses at most the record being written,
/// and <see cref="StreamRecordingReader.ReadAll"/> in tolerant mode recovers the rest. Times are
/// microseconds since <see cref="StreamRecordingHeader.StartUnixMilliseconds"/>, supplied by the caller
/// and never decreasing. Not thread-safe.
/// <para>
/// For the <see cref="StreamRecordingHeader.TdpKind"/> kind (docs/recording.md, "The tdp kind") data records hold
/// whole TDP messages: <see cref="AppendData"/> writes its data as one record and refuses data that is not whole
/// messages, and the sync points are the keyframes (<see cref="AppendKeyframe"/>); the writer writes no Sync
/// record on its own, since a Sync without a keyframe after it is no place a player can start from.
/// </para>
/// </summary>
public sealed class StreamRecordingWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly StreamRecordingWriterOptions _options;
    private readonly List<StreamSyncPoint> _index = [];
    private long _syncCount;
    private long _indexStride = 1;
    private long _lastSyncTime;
    private long _lastSyncBytes;
    private readonly bool _isTdp;

    /// <summary>Writes the header to <paramref name="output"/>. Throws <see cref="ArgumentException"/> for a header field over its cap.</summary>
    public StreamRecordingWriter(IBufferWriter<byte> output, StreamRecordingHeader header, StreamRecordingWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        options ??= new StreamRecordingWriterOptions();
        if (options.MaxDataRecordLength is < 1 or > StreamRecordingFormat.MaxPayloadLength) throw new ArgumentOutOfRangeException(nameof(options), "MaxDataRecordLength is out of range");
        if (options.SyncIntervalMicroseconds < 0 || options.SyncIntervalBytes < 0) throw new ArgumentOutOfRangeException(nameof(options), "sync intervals must not be negative");
        if (options.MaxKeyframePartLength is < StreamRecordingFormat.KeyframeFlagsLength + 1 or > StreamRecordingFormat.MaxPayloadLength) throw new ArgumentOutOfRangeException(nameof(options), "MaxKeyframePartLength is out of range");
        if (options.IndexCapacity is < 1 or > StreamRecordingFormat.MaxIndexEntries) throw new ArgumentOutOfRangeException(nameof(options), "IndexCapacity is out of range");
        _output = output;
        _options = options;
        Header = header;
        _isTdp = header.Kind == StreamRecordingHeader.TdpKind;
        var size = header.Size;
        header.Encode(output.GetSpan(size)[..size]);
        output.Advance(size);
        Position = size;
    }

    public StreamRecordingHeader Header { get; }

    /// <summary>Bytes written so far: the file offset of the next record.</summary>
    public long Position { get; private set; }

    /// <summary>Records written so far, the End record not counted.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Client-to-server data bytes recorded.</summary>
    public long ClientBytes { get; private set; }

    /// <summary>Server-to-client data bytes recorded.</summary>
    public long ServerBytes { get; private set; }

    /// <summary>The time of the last record written.</summary>
    public long TimeMicroseconds { get; private set; }

    /// <summary>True after <see cref="Finish"/>.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>The sync points the End record will list.</summary>
    public IReadOnlyList<StreamSyncPoint> Index => _index;

    /// <summary>
    /// Records protocol bytes that went one way. Empty data writes nothing. Returns the bytes written. For the
    /// <c>tdp</c> kind, <paramref name="data"/> must be one or more whole TDP messages of at most
    /// <see cref="StreamRecordingFormat.MaxPayloadLength"/> bytes in all, written as one record
    /// (<see cref="ArgumentException"/> otherwise).
    /// </summary>
    public int AppendData(StreamDirection direction, long timeMicroseconds, ReadOnlySpan<byte> data)
    {
        CheckTime(timeMicroseconds);
        var kind = direction switch
        {
            StreamDirection.ClientToServer => StreamRecordKind.ClientData,
            StreamDirection.ServerToClient => StreamRecordKind.ServerData,
            _ => throw new ArgumentOutOfRangeException(nameof(direction)),
        };
        if (_isTdp && !data.IsEmpty)
        {
            if (data.Length > StreamRecordingFormat.MaxPayloadLength)
            {
                throw new ArgumentException($"{data.Length} bytes of TDP messages do not fit in one record (at most {StreamRecordingFormat.MaxPayloadLength})", nameof(data));
            }
            CheckWholeMessages(data, nameof(data));
            var n = WriteFrame(kind, timeMicroseconds, data);
            if (kind == StreamRecordKind.ClientData) ClientBytes += data.Length;
            else ServerBytes += data.Length;
            return n;
        }
        var written = 0;
        while (!data.IsEmpty)
        {
            if (SyncDue(timeMicroseconds)) written += WriteSync(timeMicroseconds);
            var take = Math.Min(data.Length, _options.MaxDataRecordLength);
            written += WriteFrame(kind, timeMicroseconds, data[..take]);
            if (kind == StreamRecordKind.ClientData) ClientBytes += take;
            else ServerBytes += take;
            data = data[take..];
        }
        return written;
    }

    /// <summary>Marks the moment the relayed connection to the target opened.</summary>
    public int AppendSessionStart(long timeMicroseconds)
    {
        CheckTime(timeMicroseconds);
        return WriteFrame(StreamRecordKind.SessionStart, timeMicroseconds, []);
    }

    /// <summary>Marks the end of the session and why. <paramref name="text"/>: at most 1024 UTF-8 bytes.</summary>
    public int AppendSessionEnd(long timeMicroseconds, SessionEndReason reason, string text = "")
    {
        CheckTime(timeMicroseconds);
        ArgumentNullException.ThrowIfNull(text);
        return WriteMarker(StreamRecordKind.SessionEnd, timeMicroseconds, new SessionEndMarker(reason, text));
    }

    /// <summary>Records the desktop size as the recorder learnt it (1-65535 each way).</summary>
    public int AppendResize(long timeMicroseconds, int width, int height)
    {
        CheckTime(timeMicroseconds);
        return WriteMarker(StreamRecordKind.Resize, timeMicroseconds, new ResizeMarker(width, height));
    }

    /// <summary>Records a note. <paramref name="text"/>: at most 4096 UTF-8 bytes.</summary>
    public int AppendNote(long timeMicroseconds, string text)
    {
        CheckTime(timeMicroseconds);
        ArgumentNullException.ThrowIfNull(text);
        return WriteMarker(StreamRecordKind.Note, timeMicroseconds, new NoteMarker(text));
    }

    /// <summary>
    /// Writes a Sync record now (the writer also writes them on its own at the configured intervals). Not for the
    /// <c>tdp</c> kind, whose sync points are keyframes: <see cref="InvalidOperationException"/>, use
    /// <see cref="AppendKeyframe"/>.
    /// </summary>
    public int AppendSync(long timeMicroseconds)
    {
        if (_isTdp) throw new InvalidOperationException("a tdp recording's sync points are keyframes: use AppendKeyframe");
        return WriteSync(timeMicroseconds);
    }

    /// <summary>
    /// Writes a keyframe (kind <c>tdp</c> only): a Sync record, then one or more Keyframe records of the same time
    /// holding <paramref name="tdpMessages"/> in order, split at message boundaries so that each payload (flag
    /// byte included) is at most <see cref="StreamRecordingWriterOptions.MaxKeyframePartLength"/> (1 MiB by
    /// default, the record cap); the last part carries
    /// <see cref="KeyframePart.LastPartFlag"/>. The messages must draw the complete screen on an empty canvas
    /// (DesktopSize first, then image tiles covering the screen, then the cursor shape if any); the writer checks
    /// that each is one whole TDP message and that the first is a desktop size. Throws <see cref="ArgumentException"/>
    /// for an empty list, a first message other than a desktop size (103), or a message that is not one whole TDP
    /// message or is longer than a part can hold; nothing is written then. Returns the bytes written.
    /// </summary>
    public int AppendKeyframe(long timeUs, IReadOnlyList<ReadOnlyMemory<byte>> tdpMessages)
    {
        ArgumentNullException.ThrowIfNull(tdpMessages);
        if (!_isTdp) throw new InvalidOperationException($"keyframes are TDP messages: only a '{StreamRecordingHeader.TdpKind}' recording has them, this one is '{Header.Kind}'");
        CheckTime(timeUs);
        if (tdpMessages.Count == 0) throw new ArgumentException("a keyframe holds at least one TDP message", nameof(tdpMessages));
        if (tdpMessages[0].Span is not [(byte)TdpMessageType.DesktopSize, ..])
        {
            throw new ArgumentException("a keyframe starts with a desktop size (103): it is drawn on an empty canvas", nameof(tdpMessages));
        }
        var cap = _options.MaxKeyframePartLength;
        var room = cap - StreamRecordingFormat.KeyframeFlagsLength;
        foreach (var message in tdpMessages)
        {
            if (message.Length > room) throw new ArgumentException($"a {message.Length}-byte TDP message is longer than a keyframe part can hold ({room} bytes)", nameof(tdpMessages));
            CheckOneMessage(message.Span, nameof(tdpMessages));
        }

        var written = WriteSync(timeUs);
        var payload = ArrayPool<byte>.Shared.Rent(cap);
        try
        {
            var length = StreamRecordingFormat.KeyframeFlagsLength;
            for (var i = 0; i < tdpMessages.Count; i++)
            {
                var message = tdpMessages[i].Span;
                if (length + message.Length > cap)
                {
                    payload[0] = 0;
                    written += WriteFrame(StreamRecordKind.Keyframe, timeUs, payload.AsSpan(0, length));
                    length = StreamRecordingFormat.KeyframeFlagsLength;
                }
                message.CopyTo(payload.AsSpan(length));
                length += message.Length;
            }
            payload[0] = KeyframePart.LastPartFlag;
            written += WriteFrame(StreamRecordKind.Keyframe, timeUs, payload.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
        return written;
    }

    private static void CheckWholeMessages(ReadOnlySpan<byte> data, string parameter)
    {
        try
        {
            TdpMessageSplitter.Count(data);
        }
        catch (DecodeException e)
        {
            throw new ArgumentException($"not whole TDP messages: {e.Message}", parameter, e);
        }
    }

    private static void CheckOneMessage(ReadOnlySpan<byte> message, string parameter)
    {
        int count;
        try
        {
            count = TdpMessageSplitter.Count(message);
        }
        catch (DecodeException e)
        {
            throw new ArgumentException($"not a whole TDP message: {e.Message}", parameter, e);
        }
        if (count != 1) throw new ArgumentException($"one keyframe entry holds {count} TDP messages; pass each on its own", parameter);
    }

    private int WriteSync(long timeMicroseconds)
    {
        CheckTime(timeMicroseconds);
        var point = new StreamSyncPoint(Position, timeMicroseconds, RecordCount, ClientBytes, ServerBytes);
        Span<byte> payload = stackalloc byte[3 * Varint.MaxLength];
        var w = new SpanWriter(payload);
        point.EncodePayload(ref w);
        var n = WriteFrame(StreamRecordKind.Sync, timeMicroseconds, w.Written);
        _lastSyncTime = timeMicroseconds;
        _lastSyncBytes = ClientBytes + ServerBytes;
        AddToIndex(point);
        return n;
    }

    /// <summary>Writes the End record (totals and the sync point index); nothing can be appended after it.</summary>
    public int Finish(long timeMicroseconds)
    {
        CheckTime(timeMicroseconds);
        var end = new StreamRecordingEnd(RecordCount, ClientBytes, ServerBytes, timeMicroseconds, _index.ToArray(), Position);
        var size = end.PayloadSize;
        var payload = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var w = new SpanWriter(payload.AsSpan(0, size));
            end.EncodePayload(ref w);
            var n = WriteFrame(StreamRecordKind.End, timeMicroseconds, payload.AsSpan(0, size));
            RecordCount--; // WriteFrame counted it; the End record is not counted
            IsFinished = true;
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private bool SyncDue(long time) => !_isTdp && (
        (_options.SyncIntervalMicroseconds > 0 && time - _lastSyncTime >= _options.SyncIntervalMicroseconds)
        || (_options.SyncIntervalBytes > 0 && ClientBytes + ServerBytes - _lastSyncBytes >= _options.SyncIntervalBytes));

    private void AddToIndex(StreamSyncPoint point)
    {
        var ordinal = _syncCount++;
        if (ordinal % _indexStride != 0) return;
        if (_index.Count >= _options.IndexCapacity)
        {
            // Keep every other entry and from now on index every other sync point of the ones indexed so far.
            var kept = 0;
            for (var i = 0; i < _index.Count; i += 2) _index[kept++] = _index[i];
            _index.RemoveRange(kept, _index.Count - kept);
            _indexStride *= 2;
            if (ordinal % _indexStride != 0) return;
        }
        _index.Add(point);
    }

    private void CheckTime(long time)
    {
        if (IsFinished) throw new InvalidOperationException("the recording is finished");
        if (time < TimeMicroseconds) throw new ArgumentOutOfRangeException(nameof(time), $"time {time} us goes back from {TimeMicroseconds} us");
    }

    private int WriteMarker(StreamRecordKind kind, long time, SessionEndMarker marker)
    {
        Span<byte> payload = stackalloc byte[marker.Size];
        var w = new SpanWriter(payload);
        marker.Encode(ref w);
        return WriteFrame(kind, time, payload);
    }

    private int WriteMarker(StreamRecordKind kind, long time, NoteMarker marker)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(marker.Text) > StreamRecordingFormat.MaxNoteLength) throw new ArgumentException($"a note is at most {StreamRecordingFormat.MaxNoteLength} UTF-8 bytes", nameof(marker));
        Span<byte> payload = stackalloc byte[marker.Size];
        var w = new SpanWriter(payload);
        marker.Encode(ref w);
        return WriteFrame(kind, time, payload);
    }

    private int WriteMarker(StreamRecordKind kind, long time, ResizeMarker marker)
    {
        Span<byte> payload = stackalloc byte[ResizeMarker.Length];
        var w = new SpanWriter(payload);
        marker.Encode(ref w);
        return WriteFrame(kind, time, payload);
    }

    private int WriteFrame(StreamRecordKind kind, long time, ReadOnlySpan<byte> payload)
    {
        var size = RecordFrame.SizeOf(time, payload.Length);
        RecordFrame.Write(_output.GetSpan(size)[..size], (byte)kind, time, payload);
        _output.Advance(size);
        Position += size;
        RecordCount++;
        TimeMicroseconds = time;
        return size;
    }
}
