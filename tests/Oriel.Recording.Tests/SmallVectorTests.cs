using System.Text;

namespace Oriel.Recording.Tests;

/// <summary>vectors/small.orec.hex: built by hand (make_small.py) from docs/recording.md with an independent CRC-32C.</summary>
public class SmallVectorTests
{
    private static readonly StreamRecordingHeader s_header = new()
    {
        Kind = StreamRecordingHeader.RfbPassthroughKind,
        SessionId = "s-1",
        TargetId = "vnc1",
        User = "alice",
        StartUnixMilliseconds = 1_700_000_000_000,
        Metadata = """{"v":1}""",
        MinorVersion = 0, // the vector is a 1.0 file: readers of 1.1 read it as it is
    };

    private static readonly byte[] s_version = Encoding.ASCII.GetBytes("RFB 003.008\n");

    [Fact]
    public void DecodesToFields()
    {
        var file = HexVectors.Load("small.orec");
        var result = StreamRecordingReader.ReadAll(file);
        Assert.True(result.IsComplete);
        Assert.Null(result.TruncatedAt);
        Assert.Equal(file.Length, result.ValidLength);

        var h = result.Header!;
        Assert.Equal("rfb-passthrough", h.Kind);
        Assert.Equal("s-1", h.SessionId);
        Assert.Equal("vnc1", h.TargetId);
        Assert.Equal("alice", h.User);
        Assert.Equal(1_700_000_000_000, h.StartUnixMilliseconds);
        Assert.Equal("""{"v":1}""", h.Metadata);
        Assert.Equal(0, h.MinorVersion);

        var r = result.Records;
        Assert.Equal(
            [StreamRecordKind.SessionStart, StreamRecordKind.ServerData, StreamRecordKind.ClientData, StreamRecordKind.Resize,
             StreamRecordKind.Note, StreamRecordKind.Sync, StreamRecordKind.SessionEnd, StreamRecordKind.End],
            r.Select(x => x.Kind));
        Assert.Equal([0L, 1000, 1500, 2000, 2500, 3000, 4000, 4000], r.Select(x => x.TimeMicroseconds));
        Assert.Equal([64L, 71, 91, 111, 123, 134, 145, 158], r.Select(x => x.FileOffset));
        Assert.True(r[0].Payload.IsEmpty);
        Assert.Equal(s_version, r[1].Payload.ToArray());
        Assert.Equal(StreamDirection.ServerToClient, r[1].Direction);
        Assert.Equal(s_version, r[2].Payload.ToArray());
        Assert.Equal(StreamDirection.ClientToServer, r[2].Direction);
        Assert.Equal(new ResizeMarker(1024, 768), ResizeMarker.Decode(r[3].Payload.Span));
        Assert.Equal(new NoteMarker("hi"), NoteMarker.Decode(r[4].Payload.Span));
        Assert.Equal(new SessionEndMarker(SessionEndReason.ClientClosed, "bye"), SessionEndMarker.Decode(r[6].Payload.Span));

        var sync = new StreamSyncPoint(134, 3000, 5, 12, 12);
        Assert.Equal([sync], result.SyncPoints);
        var end = result.End!;
        Assert.Equal(7, end.RecordCount);
        Assert.Equal(12, end.ClientBytes);
        Assert.Equal(12, end.ServerBytes);
        Assert.Equal(4000, end.DurationMicroseconds);
        Assert.Equal(158, end.EndOffset);
        Assert.Equal([sync], end.Index);
    }

    [Fact]
    public void WriterProducesTheSameBytesOnDirtyBuffers()
    {
        var output = new DirtyBufferWriter(slack: 7, minimum: 16);
        var w = new StreamRecordingWriter(output, s_header, new StreamRecordingWriterOptions { SyncIntervalBytes = 0, SyncIntervalMicroseconds = 0 });
        Assert.Equal(64, w.Position);
        Assert.Equal(7, w.AppendSessionStart(0));
        Assert.Equal(20, w.AppendData(StreamDirection.ServerToClient, 1000, s_version));
        w.AppendData(StreamDirection.ClientToServer, 1500, s_version);
        w.AppendResize(2000, 1024, 768);
        w.AppendNote(2500, "hi");
        w.AppendSync(3000);
        w.AppendSessionEnd(4000, SessionEndReason.ClientClosed, "bye");
        w.Finish(4000);
        Assert.Equal(HexVectors.Load("small.orec"), output.ToArray());
        Assert.Equal(7, w.RecordCount);
        Assert.True(w.IsFinished);
        Assert.Throws<InvalidOperationException>(() => w.AppendNote(5000, "late"));
    }

    [Fact]
    public void TheTrailerLocatesTheEndRecord()
    {
        var file = HexVectors.Load("small.orec");
        Assert.True(StreamRecordingEnd.TryLocate(file.AsSpan(file.Length - 12), file.Length, out var at));
        Assert.Equal(158, at);
        var end = StreamRecordingReader.ReadEndRecord(file.AsSpan((int)at), at);
        Assert.Equal(7, end.RecordCount);
        Assert.Single(end.Index);
    }

    [Fact]
    public void ReadingStartsAtASyncPoint()
    {
        var file = HexVectors.Load("small.orec");
        var all = StreamRecordingReader.ReadAll(file);
        var sync = all.End!.Index[0];
        var reader = StreamRecordingReader.StartingAt(all.Header!, sync);
        var rest = file.AsMemory((int)sync.FileOffset);
        var kinds = new List<StreamRecordKind>();
        while (reader.TryReadRecord(rest, out var record, out var n))
        {
            kinds.Add(record.Kind);
            rest = rest[n..];
        }
        Assert.Equal([StreamRecordKind.Sync, StreamRecordKind.SessionEnd, StreamRecordKind.End], kinds);
        Assert.True(reader.IsEnded);
        Assert.Equal(file.Length, reader.Position);
    }

    [Fact]
    public void HeaderEncodesToTheVectorsFirstBytes()
    {
        var file = HexVectors.Load("small.orec");
        var buffer = new byte[s_header.Size];
        Assert.Equal(64, s_header.Encode(buffer));
        Assert.Equal(file[..64], buffer);
    }
}
