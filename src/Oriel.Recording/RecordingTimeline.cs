using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// What a player needs to seek in a recording without reading it all (docs/recording.md, "Seeking"): its
/// duration, its sync points (for the <c>tdp</c> kind, the keyframes), the ServerData bytes over time, and
/// which byte range to read to show a given time.
/// <para>
/// Two ways to build one. For a complete file, from its End record alone (<see cref="FromEnd"/>): read the header,
/// the last 12 bytes (<see cref="StreamRecordingEnd.TryLocate"/>), then the End record
/// (<see cref="StreamRecordingReader.ReadEndRecord"/>); the sync points are the index's and the histogram
/// spreads the bytes between two indexed sync points evenly over the time between them. For a file that has no
/// valid End record (still being written, or cut short by a crash), by a tolerant scan of every record
/// (<see cref="Scan"/>, or <see cref="RecordingTimelineScanner"/> fed in chunks): every sync point is found, for
/// the <c>tdp</c> kind only those whose keyframe is complete, and the histogram counts each record at its
/// own time. <see cref="FromFile"/> does either for a file held in memory.
/// </para>
/// </summary>
public sealed class RecordingTimeline
{
    /// <summary>Cap on <see cref="Histogram"/>'s bucket count.</summary>
    public const int MaxHistogramBuckets = 65536;

    private readonly StreamSyncPoint[] _syncPoints;

    /// <summary>Times (non-decreasing) of the histogram's points.</summary>
    private readonly long[] _times;

    /// <summary>
    /// Scanned: the ServerData bytes recorded at <see cref="_times"/>[i]. From the index: the ServerData bytes
    /// before the point at <see cref="_times"/>[i] (cumulative), interpolated linearly between points.
    /// </summary>
    private readonly long[] _bytes;

    private RecordingTimeline(
        StreamSyncPoint[] syncPoints, long[] times, long[] bytes, bool fromIndex, long durationUs, long serverBytes, long clientBytes,
        long recordsStart, long dataEnd, bool isComplete, long? truncatedAt, DecodeException? error)
    {
        _syncPoints = syncPoints;
        _times = times;
        _bytes = bytes;
        IsFromIndex = fromIndex;
        DurationUs = durationUs;
        ServerBytes = serverBytes;
        ClientBytes = clientBytes;
        RecordsStart = recordsStart;
        DataEnd = dataEnd;
        IsComplete = isComplete;
        TruncatedAt = truncatedAt;
        Error = error;
    }

    /// <summary>The recording's length: the End record's time, or the time of the last complete record of a scanned file.</summary>
    public long DurationUs { get; }

    /// <summary>Places a player can start from, in file order (times never decrease). The start of the records is an implicit one not listed here.</summary>
    public IReadOnlyList<StreamSyncPoint> SyncPoints => _syncPoints;

    /// <summary>ServerData bytes in the recording (of the complete prefix, for a scanned incomplete file).</summary>
    public long ServerBytes { get; }

    /// <summary>ClientData bytes in the recording (of the complete prefix, for a scanned incomplete file).</summary>
    public long ClientBytes { get; }

    /// <summary>File offset of the first record (the header's length).</summary>
    public long RecordsStart { get; }

    /// <summary>File offset just past the last record a player can play: the End record's offset, or the end of a scanned file's complete prefix.</summary>
    public long DataEnd { get; }

    /// <summary>True when built from a valid End record (its index), false when built by a scan.</summary>
    public bool IsFromIndex { get; }

    /// <summary>True when the file has its End record and no damage was found.</summary>
    public bool IsComplete { get; }

    /// <summary>Scanned files: where the bytes ran out before the End record (the offset of the first incomplete record).</summary>
    public long? TruncatedAt { get; }

    /// <summary>Scanned files: the damage that stopped the scan, with its offset; the timeline covers what came before it.</summary>
    public DecodeException? Error { get; }

    /// <summary>
    /// The timeline of a complete file from its End record: <paramref name="recordsStart"/> is the header's length
    /// (what <see cref="StreamRecordingHeader.TryDecode"/> consumed), <paramref name="end"/> the End record read with
    /// <see cref="StreamRecordingReader.ReadEndRecord"/>. Its sync points are the index's (for the <c>tdp</c> kind,
    /// each is followed by a whole keyframe: writers index only keyframe Syncs there). Throws
    /// <see cref="DecodeException"/> when an index entry points into the header.
    /// </summary>
    public static RecordingTimeline FromEnd(long recordsStart, StreamRecordingEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (recordsStart < StreamRecordingFormat.HeaderPrefixLength || recordsStart > end.EndOffset) throw new ArgumentOutOfRangeException(nameof(recordsStart));
        var syncs = end.Index.ToArray();
        foreach (var s in syncs)
        {
            // ReadEndRecord has checked the rest; the header's length is known only here.
            if (s.FileOffset < recordsStart) throw new DecodeException("End", end.EndOffset, $"index entry at offset {s.FileOffset} lies inside the header");
        }
        var times = new long[syncs.Length + 2];
        var bytes = new long[syncs.Length + 2];
        for (var i = 0; i < syncs.Length; i++)
        {
            times[i + 1] = Math.Min(syncs[i].TimeMicroseconds, end.DurationMicroseconds);
            bytes[i + 1] = Math.Min(syncs[i].ServerBytes, end.ServerBytes);
        }
        times[^1] = end.DurationMicroseconds;
        bytes[^1] = end.ServerBytes;
        // An index read from a file without a full check may be inconsistent; keep the curve monotone so the
        // histogram never goes negative and still sums to the total.
        for (var i = 1; i < times.Length; i++)
        {
            times[i] = Math.Max(times[i], times[i - 1]);
            bytes[i] = Math.Max(bytes[i], bytes[i - 1]);
        }
        bytes[^1] = Math.Max(end.ServerBytes, bytes[^2]);
        return new RecordingTimeline(syncs, times, bytes, fromIndex: true, end.DurationMicroseconds, bytes[^1], end.ClientBytes,
            recordsStart, end.EndOffset, isComplete: true, truncatedAt: null, error: null);
    }

    /// <summary>
    /// Scans a whole file tolerantly (see <see cref="RecordingTimelineScanner"/>): the timeline of every complete,
    /// checked record before the file ends or damage is found. Throws <see cref="DecodeException"/> only when not
    /// even the header can be read.
    /// </summary>
    public static RecordingTimeline Scan(ReadOnlyMemory<byte> file)
    {
        var scanner = new RecordingTimelineScanner();
        scanner.Append(file);
        return scanner.Build();
    }

    /// <summary>
    /// The timeline of a file held in memory: from its End record when the last 12 bytes lead to a valid one (reading
    /// only the header and the tail), otherwise by a tolerant <see cref="Scan"/>.
    /// </summary>
    public static RecordingTimeline FromFile(ReadOnlyMemory<byte> file)
    {
        var span = file.Span;
        if (span.Length >= StreamRecordingFormat.TrailerLength && StreamRecordingEnd.TryLocate(span[^StreamRecordingFormat.TrailerLength..], span.Length, out var endOffset))
        {
            try
            {
                if (StreamRecordingHeader.TryDecode(span, out _, out var recordsStart) && recordsStart <= endOffset)
                {
                    var end = StreamRecordingReader.ReadEndRecord(span[(int)endOffset..], endOffset);
                    return FromEnd(recordsStart, end);
                }
            }
            catch (DecodeException)
            {
                // Not a valid End record after all: the file is incomplete or damaged, scan it.
            }
        }
        return Scan(file);
    }

    internal static RecordingTimeline FromScan(
        StreamSyncPoint[] syncPoints, long[] times, long[] bytes, long durationUs, long serverBytes, long clientBytes,
        long recordsStart, long dataEnd, bool isComplete, long? truncatedAt, DecodeException? error) =>
        new(syncPoints, times, bytes, fromIndex: false, durationUs, serverBytes, clientBytes, recordsStart, dataEnd, isComplete, truncatedAt, error);

    /// <summary>The last sync point whose time is at most <paramref name="timeUs"/>, or null when none is (start from the first record).</summary>
    public StreamSyncPoint? SyncPointAtOrBefore(long timeUs)
    {
        var i = LastAtOrBefore(timeUs);
        return i < 0 ? null : _syncPoints[i];
    }

    /// <summary>
    /// The byte range to read to show <paramref name="timeUs"/>: from the sync point at or before it (or the first
    /// record) to the next sync point after it (or <see cref="DataEnd"/>), cut to at most
    /// <paramref name="maxLength"/> bytes. With sync points every few seconds of activity the range is a keyframe
    /// plus those seconds, however long the recording is.
    /// </summary>
    public RecordingSeekRange SeekRange(long timeUs, long maxLength = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var i = LastAtOrBefore(timeUs);
        var start = i < 0 ? RecordsStart : _syncPoints[i].FileOffset;
        var end = i + 1 < _syncPoints.Length ? _syncPoints[i + 1].FileOffset : DataEnd;
        end = Math.Max(start, end);
        if (end - start > maxLength) end = start + maxLength;
        return new RecordingSeekRange(start, end, i < 0 ? null : _syncPoints[i]);
    }

    /// <summary>
    /// ServerData bytes in <paramref name="buckets"/> equal time buckets (1 to <see cref="MaxHistogramBuckets"/>)
    /// covering <see cref="DurationUs"/>. Exact per record for a scanned file; from the index, the bytes between two
    /// sync points are spread evenly over the time between them. Either way the buckets sum to <see cref="ServerBytes"/>.
    /// </summary>
    public RecordingHistogram Histogram(int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buckets, MaxHistogramBuckets);
        var bucketUs = Math.Max(1, (DurationUs / buckets) + (DurationUs % buckets == 0 ? 0 : 1));
        var counts = new long[buckets];
        if (IsFromIndex)
        {
            var previous = 0L;
            for (var k = 0; k < buckets; k++)
            {
                // (k + 1) × bucketUs, without overflowing for durations near the 63-bit limit of a varint time.
                var edge = k + 1 > DurationUs / bucketUs ? DurationUs : (k + 1) * bucketUs;
                var upTo = k == buckets - 1 ? ServerBytes : BytesBefore(edge);
                counts[k] = upTo - previous;
                previous = upTo;
            }
        }
        else
        {
            for (var i = 0; i < _times.Length; i++)
            {
                counts[(int)Math.Min(buckets - 1, _times[i] / bucketUs)] += _bytes[i];
            }
        }
        return new RecordingHistogram(bucketUs, counts);
    }

    /// <summary>From the index's points: ServerData bytes before <paramref name="timeUs"/>, interpolated linearly between points.</summary>
    private long BytesBefore(long timeUs)
    {
        // The last point at or before the time; points share times where a sync point falls at the start or the end.
        var lo = 0;
        var hi = _times.Length - 1;
        if (timeUs >= _times[hi]) return _bytes[hi];
        if (timeUs < _times[0]) return _bytes[0];
        while (lo < hi)
        {
            var mid = lo + ((hi - lo + 1) / 2);
            if (_times[mid] <= timeUs) lo = mid;
            else hi = mid - 1;
        }
        var next = lo + 1;
        var span = _times[next] - _times[lo];
        var delta = _bytes[next] - _bytes[lo];
        return _bytes[lo] + (long)((Int128)delta * (timeUs - _times[lo]) / span);
    }

    private int LastAtOrBefore(long timeUs)
    {
        var lo = 0;
        var hi = _syncPoints.Length - 1;
        var found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_syncPoints[mid].TimeMicroseconds <= timeUs)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }
}
