using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Builds a <see cref="RecordingTimeline"/> by reading every record of a file, tolerantly: for files without a
/// valid End record (a session still running, or one cut short by a crash), or to check an index. Feed it the
/// file from the start in chunks of any size (<see cref="Append"/> returns how much it used; hand the rest back
/// with the next chunk), then call <see cref="Build"/>. It keeps no record, only the sync points and one count
/// per distinct ServerData time, so a two-hour file can be scanned in fixed-size chunks.
/// <para>
/// For the <c>tdp</c> kind a Sync record counts as a sync point only once its keyframe's last part has been read:
/// a crash between a Sync and the end of its keyframe leaves no place to start from.
/// </para>
/// </summary>
public sealed class RecordingTimelineScanner
{
    private readonly StreamRecordingReader _reader = new();
    private readonly List<StreamSyncPoint> _syncPoints = [];
    private readonly List<long> _times = [];
    private readonly List<long> _bytes = [];
    private StreamSyncPoint? _pendingSync;
    private bool _isTdp;
    private long _recordsStart;
    private long _endOffset = -1;

    /// <summary>File offset of the next byte the scanner expects.</summary>
    public long Position => _reader.Header is null ? 0 : _reader.Position;

    /// <summary>The header, once read.</summary>
    public StreamRecordingHeader? Header => _reader.Header;

    /// <summary>The damage that stopped the scan, if any; later bytes are ignored.</summary>
    public DecodeException? Error { get; private set; }

    /// <summary>True once the End record has been read or damage found: nothing more will be used.</summary>
    public bool IsDone => Error is not null || _reader.IsEnded;

    /// <summary>
    /// Reads the whole records at the start of <paramref name="bytes"/> (the file from <see cref="Position"/> on) and
    /// returns the bytes used. Never throws <see cref="DecodeException"/>: damage ends the scan (<see cref="Error"/>).
    /// </summary>
    public int Append(ReadOnlyMemory<byte> bytes)
    {
        if (Error is not null) return 0;
        var consumed = 0;
        try
        {
            if (_reader.Header is null)
            {
                if (!_reader.TryReadHeader(bytes.Span, out var headerLength)) return 0;
                consumed = headerLength;
                _recordsStart = headerLength;
                _isTdp = _reader.Header!.Kind == StreamRecordingHeader.TdpKind;
            }
            while (_reader.TryReadRecord(bytes[consumed..], out var record, out var n))
            {
                consumed += n;
                Observe(record);
            }
        }
        catch (DecodeException e)
        {
            Error = e;
        }
        return consumed;
    }

    private void Observe(StreamRecord record)
    {
        switch (record.Kind)
        {
            case StreamRecordKind.ServerData:
                if (_times.Count > 0 && _times[^1] == record.TimeMicroseconds) _bytes[^1] += record.Payload.Length;
                else
                {
                    _times.Add(record.TimeMicroseconds);
                    _bytes.Add(record.Payload.Length);
                }
                break;
            case StreamRecordKind.Sync:
                var sync = StreamSyncPoint.DecodePayload(record.Payload.Span, record.FileOffset, record.TimeMicroseconds);
                if (_isTdp) _pendingSync = sync;
                else _syncPoints.Add(sync);
                break;
            case StreamRecordKind.Keyframe:
                // The reader has checked that the part follows its Sync (or the previous part) at the same time.
                if (KeyframePart.Parse(record.Payload.Span).Last && _pendingSync is { } pending)
                {
                    _syncPoints.Add(pending);
                    _pendingSync = null;
                }
                break;
            case StreamRecordKind.End:
                _endOffset = record.FileOffset;
                break;
        }
        if (record.Kind is not (StreamRecordKind.Sync or StreamRecordKind.Keyframe)) _pendingSync = null;
    }

    /// <summary>
    /// The timeline of what was read, assuming the file ended where the bytes handed in did. Throws
    /// <see cref="DecodeException"/> when not even the header was read (too short, or not a recording).
    /// </summary>
    public RecordingTimeline Build()
    {
        if (_reader.Header is null)
        {
            throw Error ?? new DecodeException("stream recording header", 0, "truncated: the file ends inside the header");
        }
        var ended = _reader.IsEnded && Error is null;
        long? truncatedAt = !_reader.IsEnded && Error is null ? _reader.Position : null;
        var dataEnd = _endOffset >= 0 ? _endOffset : _reader.Position;
        return RecordingTimeline.FromScan(
            [.. _syncPoints], [.. _times], [.. _bytes], _reader.TimeMicroseconds, _reader.ServerBytes, _reader.ClientBytes,
            _recordsStart, dataEnd, ended, truncatedAt, Error);
    }
}
