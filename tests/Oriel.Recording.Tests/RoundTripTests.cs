using System.Buffers;

namespace Oriel.Recording.Tests;

public class RoundTripTests
{
    [Fact]
    public void RandomSessionsReadBackExactly()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var s = Sessions.Random(seed);
            var result = StreamRecordingReader.ReadAll(s.File);
            Assert.True(result.IsComplete);
            Assert.Equal(Sessions.Header.Metadata, result.Header!.Metadata);
            var data = Sessions.Data(result.Records);
            foreach (var direction in new[] { StreamDirection.ClientToServer, StreamDirection.ServerToClient })
            {
                Assert.Equal(Sessions.Stream(s.Data, direction), Sessions.Stream(data, direction));
            }
            Assert.All(data, d => Assert.InRange(d.Data.Length, 1, 700));
            Assert.Equal(Sessions.Stream(s.Data, StreamDirection.ClientToServer).Length, result.End!.ClientBytes);
            Assert.Equal(Sessions.Stream(s.Data, StreamDirection.ServerToClient).Length, result.End.ServerBytes);
            Assert.Equal(result.Records.Count - 1, result.End.RecordCount);
            Assert.Equal(result.SyncPoints, result.End.Index);
            Assert.NotEmpty(result.SyncPoints);
            var times = result.Records.Select(r => r.TimeMicroseconds).ToList();
            Assert.Equal(times.Order(), times);
        }
    }

    [Fact]
    public void SyncPointsFollowTheIntervals()
    {
        var s = Sessions.Random(3, new StreamRecordingWriterOptions { SyncIntervalMicroseconds = 0, SyncIntervalBytes = 5000, MaxDataRecordLength = 1000 }, steps: 200);
        var result = StreamRecordingReader.ReadAll(s.File);
        long previous = 0;
        foreach (var sync in result.SyncPoints)
        {
            var bytes = sync.ClientBytes + sync.ServerBytes;
            Assert.InRange(bytes - previous, 5000, 5000 + 999);
            previous = bytes;
        }
        Assert.True(result.SyncPoints.Count > 10);
    }

    [Fact]
    public void ReaderResumesFromEverySyncPoint()
    {
        var s = Sessions.Random(11, steps: 120);
        var all = StreamRecordingReader.ReadAll(s.File);
        foreach (var sync in all.SyncPoints)
        {
            var reader = StreamRecordingReader.StartingAt(all.Header!, sync);
            var rest = s.File.AsMemory((int)sync.FileOffset);
            var count = 0;
            while (reader.TryReadRecord(rest, out _, out var n))
            {
                rest = rest[n..];
                count++;
            }
            Assert.True(reader.IsEnded);
            Assert.Equal(all.Records.Count(r => r.FileOffset >= sync.FileOffset), count);
        }
    }

    [Fact]
    public void IndexIsThinnedToItsCapacity()
    {
        var output = new DirtyBufferWriter(slack: 7, minimum: 16);
        var w = new StreamRecordingWriter(output, Sessions.Header, new StreamRecordingWriterOptions { IndexCapacity = 4, SyncIntervalBytes = 0, SyncIntervalMicroseconds = 0 });
        for (var i = 0; i < 21; i++)
        {
            w.AppendData(StreamDirection.ServerToClient, i, [1, 2, 3]);
            w.AppendSync(i);
        }
        w.Finish(100);
        var result = StreamRecordingReader.ReadAll(output.ToArray());
        Assert.Equal(21, result.SyncPoints.Count);
        // 21 sync points, capacity 4: the index keeps ordinals 0, 8, 16 (stride 8).
        Assert.Equal([result.SyncPoints[0], result.SyncPoints[8], result.SyncPoints[16]], result.End!.Index);
    }

    [Fact]
    public void LargeDataIsSplitIntoRecordsUnderTheCap()
    {
        var output = new DirtyBufferWriter(slack: 7, minimum: 16);
        var w = new StreamRecordingWriter(output, Sessions.Header, new StreamRecordingWriterOptions { MaxDataRecordLength = StreamRecordingFormat.MaxPayloadLength });
        var big = new byte[(3 * StreamRecordingFormat.MaxPayloadLength) + 5];
        new Random(1).NextBytes(big);
        w.AppendData(StreamDirection.ServerToClient, 10, big);
        w.Finish(10);
        var result = StreamRecordingReader.ReadAll(output.ToArray());
        var data = result.Records.Where(r => r.IsData).ToList();
        Assert.Equal(4, data.Count);
        Assert.Equal(big, data.SelectMany(d => d.Payload.ToArray()).ToArray());
    }

    [Fact]
    public void MultiSegmentSequencesReadTheSame()
    {
        var s = Sessions.Random(5);
        var expected = StreamRecordingReader.ReadAll(s.File).Records;
        var random = new Random(9);
        for (var round = 0; round < 20; round++)
        {
            var sequence = Segmented(s.File, random);
            var reader = new StreamRecordingReader();
            Assert.True(reader.TryReadHeader(ref sequence));
            var got = new List<StreamRecord>();
            while (reader.TryReadRecord(ref sequence, out var record)) got.Add(record);
            Assert.True(sequence.IsEmpty);
            Assert.Equal(expected.Select(r => (r.Kind, r.TimeMicroseconds, r.FileOffset)), got.Select(r => (r.Kind, r.TimeMicroseconds, r.FileOffset)));
            Assert.Equal(expected.Select(r => r.Payload.ToArray()), got.Select(r => r.Payload.ToArray()));
        }
    }

    [Fact]
    public void IncrementalFeedingAtRandomChunkSizes()
    {
        var s = Sessions.Random(8);
        var expected = StreamRecordingReader.ReadAll(s.File).Records;
        var random = new Random(2);
        var reader = new StreamRecordingReader();
        var got = new List<StreamRecord>();
        var available = 0;
        var consumedTotal = 0;
        var headerDone = false;
        while (!reader.IsEnded)
        {
            available = Math.Min(s.File.Length, available + random.Next(1, 300));
            var window = s.File.AsMemory(consumedTotal, available - consumedTotal);
            if (!headerDone)
            {
                if (!reader.TryReadHeader(window.Span, out var h)) continue;
                headerDone = true;
                consumedTotal += h;
                window = window[h..];
            }
            while (reader.TryReadRecord(window, out var record, out var n))
            {
                got.Add(record);
                consumedTotal += n;
                window = window[n..];
            }
        }
        Assert.Equal(expected.Select(r => r.FileOffset), got.Select(r => r.FileOffset));
        Assert.Equal(s.File.Length, consumedTotal);
    }

    [Fact]
    public void WriterRefusesTimeGoingBack()
    {
        var w = new StreamRecordingWriter(new DirtyBufferWriter(slack: 7, minimum: 16), Sessions.Header);
        w.AppendNote(100, "x");
        Assert.Throws<ArgumentOutOfRangeException>(() => w.AppendData(StreamDirection.ClientToServer, 99, [1]));
        Assert.Throws<ArgumentException>(() => w.AppendNote(100, new string('n', 4097)));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.AppendResize(100, 0, 10));
        Assert.Equal(0, w.AppendData(StreamDirection.ClientToServer, 100, []));
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, Random random)
    {
        Segment? first = null, last = null;
        var i = 0;
        while (i < bytes.Length)
        {
            var n = Math.Min(bytes.Length - i, random.Next(1, 100));
            var segment = new Segment(bytes.AsMemory(i, n), i);
            if (last is null) first = segment;
            else last.SetNext(segment);
            last = segment;
            i += n;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
