using Oriel.Wire;
using Xunit.Abstractions;

namespace Oriel.Recording.Tests;

/// <summary>
/// Timelines of a generated two-hour tdp recording (in memory, synthetic TDP messages): from the End index and from
/// a scan, seeking reads a bounded range, histograms add up, crashed files still give a timeline.
/// </summary>
public class TimelineTests(ITestOutputHelper output)
{
    private const long TwoHours = 2L * 60 * 60 * 1_000_000;

    /// <summary>Slack for the records after the last keyframe's data (SessionEnd) in a range bound.</summary>
    private const long Slack = 64;

    private static readonly Lazy<TdpRecordings.Written> s_twoHours = new(() => TdpRecordings.Session(seed: 2, TwoHours));

    [Fact]
    public void A_two_hour_recording_keeps_every_keyframe_in_its_index()
    {
        var written = s_twoHours.Value;
        var timeline = RecordingTimeline.FromFile(written.File);
        Assert.True(timeline.IsFromIndex);
        Assert.True(timeline.IsComplete);
        Assert.InRange(timeline.DurationUs, TwoHours, TwoHours + 60_000_000);
        // A keyframe after every 5 s of activity over two hours is well under the 16384 entries the index keeps.
        Assert.InRange(written.KeyframeTimes.Count, 500, StreamRecordingFormat.MaxIndexEntries);
        Assert.Equal(written.KeyframeTimes, timeline.SyncPoints.Select(s => s.TimeMicroseconds));
    }

    [Fact]
    public void Seeking_anywhere_in_two_hours_reads_a_bounded_range()
    {
        var written = s_twoHours.Value;
        var file = written.File;
        var timeline = RecordingTimeline.FromFile(file);
        var header = StreamRecordingReader.ReadAll(file).Header!;
        var bound = written.MaxKeyframeBytes + written.MaxBytesBetweenKeyframes + Slack;
        Assert.True(bound < file.Length / 100, $"the bound {bound} should be a small part of the {file.Length}-byte file");
        long longest = 0;
        for (var t = 0L; t <= timeline.DurationUs; t += 3_700_001)
        {
            var range = timeline.SeekRange(t);
            Assert.InRange(range.Length, 1, bound);
            CheckRange(file, header, timeline, range, t);
            longest = Math.Max(longest, range.Length);
        }
        output.WriteLine($"{file.Length} bytes, {timeline.DurationUs / 1_000_000} s, {timeline.SyncPoints.Count} keyframes, End record {file.Length - timeline.DataEnd} bytes, longest seek range {longest} bytes (bound {bound})");
    }

    /// <summary>The range starts with a whole keyframe at or before T, ends on a record boundary, and the record after it (if any) is a sync point after T.</summary>
    private static void CheckRange(byte[] file, StreamRecordingHeader header, RecordingTimeline timeline, RecordingSeekRange range, long t)
    {
        var bytes = file.AsMemory((int)range.Start, (int)range.Length);
        StreamRecordingReader reader;
        if (range.SyncPoint is { } sync)
        {
            Assert.Equal(sync.FileOffset, range.Start);
            Assert.True(sync.TimeMicroseconds <= t);
            reader = StreamRecordingReader.StartingAt(header, sync);
        }
        else
        {
            Assert.Equal(timeline.RecordsStart, range.Start);
            reader = new StreamRecordingReader();
            Assert.True(reader.TryReadHeader(file, out _));
        }
        var kinds = new List<StreamRecordKind>();
        var keyframeMessages = 0;
        var firstKeyframeDone = false;
        while (reader.TryReadRecord(bytes, out var record, out var n))
        {
            kinds.Add(record.Kind);
            if (record.Kind == StreamRecordKind.Keyframe && !firstKeyframeDone)
            {
                var part = KeyframePart.Parse(record.Payload.Span);
                keyframeMessages += TdpMessageSplitter.Count(part.Messages);
                firstKeyframeDone = part.Last;
            }
            bytes = bytes[n..];
        }
        Assert.True(bytes.IsEmpty, "the range ends on a record boundary");
        if (range.SyncPoint is not null)
        {
            Assert.Equal(StreamRecordKind.Sync, kinds[0]);
            Assert.Equal(StreamRecordKind.Keyframe, kinds[1]);
            Assert.Equal(6, keyframeMessages); // desktop size, 4 tiles, cursor
        }
        if (range.End < timeline.DataEnd)
        {
            Assert.Contains(timeline.SyncPoints, s => s.FileOffset == range.End && s.TimeMicroseconds > t);
            Assert.Equal((byte)StreamRecordKind.Sync, file[range.End]);
        }
    }

    [Fact]
    public void The_index_and_a_scan_agree()
    {
        var written = s_twoHours.Value;
        var fromIndex = RecordingTimeline.FromFile(written.File);
        var scanned = RecordingTimeline.Scan(written.File);
        Assert.False(scanned.IsFromIndex);
        Assert.True(scanned.IsComplete);
        Assert.Equal(fromIndex.SyncPoints, scanned.SyncPoints);
        Assert.Equal(fromIndex.DurationUs, scanned.DurationUs);
        Assert.Equal(fromIndex.ServerBytes, scanned.ServerBytes);
        Assert.Equal(fromIndex.ClientBytes, scanned.ClientBytes);
        Assert.Equal(fromIndex.DataEnd, scanned.DataEnd);
        Assert.Equal(fromIndex.RecordsStart, scanned.RecordsStart);
        foreach (var t in new[] { 0L, 1, 5_000_000, TwoHours / 3, TwoHours - 1, TwoHours * 2 })
        {
            Assert.Equal(fromIndex.SeekRange(t), scanned.SeekRange(t));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(600)]
    [InlineData(RecordingTimeline.MaxHistogramBuckets)]
    public void Histograms_add_up_to_the_server_bytes(int buckets)
    {
        var written = s_twoHours.Value;
        var total = written.ServerData.Sum(d => (long)d.Length);
        var scanned = RecordingTimeline.Scan(written.File).Histogram(buckets);
        var fromIndex = RecordingTimeline.FromFile(written.File).Histogram(buckets);
        Assert.Equal(buckets, scanned.Bytes.Count);
        Assert.Equal(total, scanned.Bytes.Sum());
        Assert.Equal(total, fromIndex.Bytes.Sum());
        Assert.All(fromIndex.Bytes, b => Assert.True(b >= 0));

        // A scan counts each record in the bucket of its time.
        var expected = new long[buckets];
        foreach (var (time, length) in written.ServerData) expected[Math.Min(buckets - 1, time / scanned.BucketUs)] += length;
        Assert.Equal(expected, scanned.Bytes);
    }

    [Fact]
    public void A_thinned_index_still_bounds_the_range_by_the_stride()
    {
        // With room for 100 entries the writer keeps every 2^k-th keyframe: seeking reads at most 2^k keyframe intervals.
        var written = TdpRecordings.Session(seed: 3, TwoHours / 4, options: new StreamRecordingWriterOptions { IndexCapacity = 100 });
        var timeline = RecordingTimeline.FromFile(written.File);
        var count = written.KeyframeTimes.Count;
        Assert.True(count > 100, $"{count} keyframes");
        var stride = 1;
        while ((count + stride - 1) / stride > 100) stride *= 2;
        Assert.InRange(timeline.SyncPoints.Count, (count / stride) - 1, 100);
        Assert.Equal(written.KeyframeTimes.Where((_, i) => i % stride == 0), timeline.SyncPoints.Select(s => s.TimeMicroseconds));
        var bound = (stride * (written.MaxKeyframeBytes + written.MaxBytesBetweenKeyframes)) + Slack;
        var header = StreamRecordingReader.ReadAll(written.File).Header!;
        for (var t = 0L; t <= timeline.DurationUs; t += 1_300_007)
        {
            var range = timeline.SeekRange(t);
            Assert.InRange(range.Length, 1, bound);
            CheckRange(written.File, header, timeline, range, t);
        }
        // A scan finds every keyframe again.
        Assert.Equal(count, RecordingTimeline.Scan(written.File).SyncPoints.Count);
    }

    [Fact]
    public void A_crashed_recording_gives_the_timeline_of_what_was_written()
    {
        var written = TdpRecordings.Session(seed: 4, 20L * 60 * 1_000_000, finish: false);
        var file = written.File;
        var full = RecordingTimeline.Scan(file);
        Assert.False(full.IsComplete);
        Assert.Equal(file.Length, full.TruncatedAt);
        Assert.Equal(written.KeyframeTimes, full.SyncPoints.Select(s => s.TimeMicroseconds));
        var random = new Random(5);
        for (var i = 0; i < 60; i++)
        {
            var cut = random.Next(1, file.Length);
            var timeline = RecordingTimeline.FromFile(file.AsMemory(0, cut));
            Assert.False(timeline.IsFromIndex);
            Assert.InRange(timeline.DataEnd, timeline.RecordsStart, cut);
            Assert.Equal(timeline.DataEnd, timeline.TruncatedAt);
            // The sync points are those whose keyframe ended before the cut.
            var expected = full.SyncPoints.Count(s => KeyframeEnd(file, s) <= cut);
            Assert.Equal(full.SyncPoints.Take(expected), timeline.SyncPoints);
            Assert.Equal(timeline.ServerBytes, timeline.Histogram(50).Bytes.Sum());
            var range = timeline.SeekRange(random.NextInt64(timeline.DurationUs + 1));
            Assert.True(range.End <= timeline.DataEnd);
        }
    }

    /// <summary>The offset just past the last part of the keyframe at <paramref name="sync"/>.</summary>
    private static long KeyframeEnd(byte[] file, StreamSyncPoint sync)
    {
        var header = StreamRecordingReader.ReadAll(file.AsMemory(0, 4096), StreamRecordingReadMode.Tolerant).Header!;
        var reader = StreamRecordingReader.StartingAt(header, sync);
        var rest = file.AsMemory((int)sync.FileOffset);
        while (reader.TryReadRecord(rest, out var record, out var n))
        {
            rest = rest[n..];
            if (record.Kind == StreamRecordKind.Keyframe && KeyframePart.Parse(record.Payload.Span).Last) return reader.Position;
        }
        throw new InvalidOperationException("no whole keyframe");
    }

    [Fact]
    public void A_scan_in_chunks_equals_a_scan_of_the_whole_file()
    {
        var file = TdpRecordings.Session(seed: 6, 10L * 60 * 1_000_000).File;
        var whole = RecordingTimeline.Scan(file);
        foreach (var chunk in new[] { 1, 100, 4096, 65536 })
        {
            var scanner = new RecordingTimelineScanner();
            var pending = new List<byte>();
            for (var at = 0; at < file.Length; at += chunk)
            {
                pending.AddRange(file.AsSpan(at, Math.Min(chunk, file.Length - at)).ToArray());
                var used = scanner.Append(pending.ToArray());
                pending.RemoveRange(0, used);
                if (chunk == 1 && at > 5000) break; // byte by byte is slow: the first records are enough
            }
            var timeline = scanner.Build();
            if (chunk == 1)
            {
                Assert.Equal(scanner.Position, timeline.DataEnd);
                continue;
            }
            Assert.Null(scanner.Error);
            Assert.True(scanner.IsDone);
            Assert.Equal(whole.SyncPoints, timeline.SyncPoints);
            Assert.Equal(whole.DurationUs, timeline.DurationUs);
            Assert.Equal(whole.Histogram(100).Bytes, timeline.Histogram(100).Bytes);
        }
    }

    [Fact]
    public void A_damaged_file_is_scanned_up_to_the_damage()
    {
        var file = (byte[])TdpSmall().Clone();
        file[300] ^= 0x40; // inside the Sync record at 295
        // FromFile would still use the intact End record (it reads only the tail); a scan finds the damage.
        Assert.True(RecordingTimeline.FromFile(file).IsFromIndex);
        var timeline = RecordingTimeline.Scan(file);
        Assert.False(timeline.IsComplete);
        Assert.NotNull(timeline.Error);
        Assert.Null(timeline.TruncatedAt);
        Assert.Equal(295, timeline.DataEnd);
        Assert.Empty(timeline.SyncPoints);
        Assert.Equal(1500, timeline.DurationUs);

        Assert.Throws<DecodeException>(() => RecordingTimeline.Scan(file.AsMemory(0, 20)));
        Assert.Throws<DecodeException>(() => RecordingTimeline.Scan(new byte[100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => timeline.Histogram(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => timeline.Histogram(RecordingTimeline.MaxHistogramBuckets + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => timeline.SeekRange(0, maxLength: 0));
    }

    [Fact]
    public void Bytes_after_the_end_record_are_damage()
    {
        byte[] file = [.. TdpSmall(), 0x10];
        var timeline = RecordingTimeline.FromFile(file);
        Assert.False(timeline.IsFromIndex); // the trailer is not the End record's any more
        Assert.False(timeline.IsComplete);
        Assert.NotNull(timeline.Error);
        Assert.Equal(622, timeline.DataEnd);
        Assert.Single(timeline.SyncPoints);
    }

    [Fact]
    public void Histograms_of_times_near_the_varint_limit_stay_whole()
    {
        // Times are 63-bit varints: bucket edges must not overflow.
        var end = new StreamRecordingEnd(3, 0, 1000, long.MaxValue, [new StreamSyncPoint(100, long.MaxValue / 2, 1, 0, 400), new StreamSyncPoint(200, long.MaxValue - 5, 2, 0, 900)], 300);
        var timeline = RecordingTimeline.FromEnd(64, end);
        foreach (var buckets in new[] { 1, 2, 3, 1000, RecordingTimeline.MaxHistogramBuckets })
        {
            var h = timeline.Histogram(buckets);
            Assert.All(h.Bytes, b => Assert.InRange(b, 0, 1000));
            Assert.Equal(1000, h.Bytes.Sum());
        }
        Assert.Equal(new RecordingSeekRange(200, 300, end.Index[1]), timeline.SeekRange(long.MaxValue));
        Assert.Equal(new RecordingSeekRange(64, 100, null), timeline.SeekRange(long.MinValue));
        Assert.Throws<DecodeException>(() => RecordingTimeline.FromEnd(150, end)); // an entry inside the header
    }

    private static byte[] TdpSmall() => HexVectors.Load("tdp-small.orec");
}
