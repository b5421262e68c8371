using System.Text;
using Oriel.Tdp;

namespace Oriel.Recording.Tests;

/// <summary>
/// tests/vectors/recording/tdp-small.orec.hex: a tdp recording with a keyframe in two parts, built by hand
/// (make_tdp_small.py) from docs/recording.md and docs/tdp.md with an independent CRC-32C. The web player's
/// tests read the same file.
/// </summary>
public class TdpSmallVectorTests
{
    private static readonly StreamRecordingHeader s_header = new()
    {
        Kind = StreamRecordingHeader.TdpKind,
        SessionId = "s-2",
        TargetId = "vnc1",
        User = "alice",
        StartUnixMilliseconds = 1_700_000_000_000,
        Metadata = """{"v":1}""",
    };

    /// <summary>The vector's keyframe is split as a writer with a 128-byte part cap splits it.</summary>
    private static readonly StreamRecordingWriterOptions s_options = new() { MaxKeyframePartLength = 128 };

    /// <summary>The real 1x1 PNG of tests/vectors/tdp.json.</summary>
    private static byte[] Png => ((PngFrame2Message)TdpCodec.Decode(TdpVectors.Bytes(TdpVectors.ValidNamed("png frame 2 with a 1x1 PNG")))).Data;

    private static byte[] Tile(uint left) => TdpCodec.Encode(new PngFrame2Message(left, 0, left + 1, 1, Png));

    private static byte[] DesktopSize => TdpCodec.Encode(new DesktopSizeMessage(2, 1));

    private static byte[] CursorHidden => TdpCodec.Encode(new CursorShapeMessage(0, 0, 0, 0, []));

    [Fact]
    public void DecodesToFields()
    {
        var file = HexVectors.Load("tdp-small.orec");
        var result = StreamRecordingReader.ReadAll(file);
        Assert.True(result.IsComplete);
        Assert.Equal(file.Length, result.ValidLength);
        Assert.Equal("tdp", result.Header!.Kind);
        Assert.Equal(StreamRecordingHeader.TdpKind, result.Header.Kind);
        Assert.Equal(1, result.Header.MinorVersion);

        var r = result.Records;
        Assert.Equal(
            [StreamRecordKind.SessionStart, StreamRecordKind.Resize, StreamRecordKind.ServerData, StreamRecordKind.ClientData,
             StreamRecordKind.Sync, StreamRecordKind.Keyframe, StreamRecordKind.Keyframe, StreamRecordKind.ServerData,
             StreamRecordKind.Note, StreamRecordKind.SessionEnd, StreamRecordKind.End],
            r.Select(x => x.Kind));
        Assert.Equal([0L, 0, 1000, 1500, 2000, 2000, 2000, 2500, 2600, 3000, 3000], r.Select(x => x.TimeMicroseconds));
        Assert.Equal([52L, 59, 70, 273, 295, 307, 415, 527, 565, 609, 622], r.Select(x => x.FileOffset));
        Assert.True(r[5].IsAncillary);

        // Data records hold whole TDP messages.
        Assert.Equal(
            [TdpMessageType.DesktopSize, TdpMessageType.PngFrame2, TdpMessageType.PngFrame2, TdpMessageType.FrameMarker],
            Types(r[2].Payload));
        Assert.Equal(new DesktopSizeMessage(2, 1), TdpCodec.Decode(TdpMessageSplitter.Split(r[2].Payload)[0].Span));
        Assert.Equal([TdpMessageType.FrameAck, TdpMessageType.MouseMove], Types(r[3].Payload));
        Assert.Equal(new MouseMoveMessage(1, 0), TdpCodec.Decode(TdpMessageSplitter.Split(r[3].Payload)[1].Span));
        Assert.Equal([TdpMessageType.CopyRect, TdpMessageType.FrameMarker], Types(r[7].Payload));
        Assert.Equal(new NoteMarker("clipboard: 5 bytes from the browser"), NoteMarker.Decode(r[8].Payload.Span));

        // The keyframe: Sync, then two parts of the same time, the second marked last.
        var sync = new StreamSyncPoint(295, 2000, 4, 14, 194);
        Assert.Equal([sync], result.SyncPoints);
        Assert.Equal([sync], result.End!.Index);
        var first = KeyframePart.Parse(r[5].Payload.Span);
        Assert.False(first.Last);
        Assert.Equal([.. DesktopSize, .. Tile(0)], first.Messages.ToArray());
        var (last, messages) = KeyframePart.Parse(r[6].Payload.Span);
        Assert.True(last);
        Assert.Equal([.. Tile(1), .. CursorHidden], messages.ToArray());
        var memory = KeyframePart.ParseMessages(r[6].Payload, out var lastToo);
        Assert.True(lastToo);
        Assert.Equal([TdpMessageType.PngFrame2, TdpMessageType.CursorShape], Types(memory));

        var end = result.End;
        Assert.Equal(10, end.RecordCount);
        Assert.Equal(14, end.ClientBytes);
        Assert.Equal(224, end.ServerBytes);
        Assert.Equal(3000, end.DurationMicroseconds);
        Assert.Equal(622, end.EndOffset);
    }

    [Fact]
    public void WriterProducesTheSameBytesOnDirtyBuffers()
    {
        var output = new DirtyBufferWriter(slack: 7, minimum: 16);
        var w = new StreamRecordingWriter(output, s_header, s_options);
        Assert.Equal(52, w.Position);
        w.AppendSessionStart(0);
        w.AppendResize(0, 2, 1);
        w.AppendData(StreamDirection.ServerToClient, 1000, [.. DesktopSize, .. Tile(0), .. Tile(1), .. TdpCodec.Encode(new FrameMarkerMessage(1))]);
        w.AppendData(StreamDirection.ClientToServer, 1500, [.. TdpCodec.Encode(new FrameAckMessage(1)), .. TdpCodec.Encode(new MouseMoveMessage(1, 0))]);
        var keyframe = w.AppendKeyframe(2000, [DesktopSize, Tile(0), Tile(1), CursorHidden]);
        Assert.Equal(527 - 295, keyframe);
        w.AppendData(StreamDirection.ServerToClient, 2500, [.. TdpCodec.Encode(new CopyRectMessage(0, 0, 1, 1, 1, 0)), .. TdpCodec.Encode(new FrameMarkerMessage(2))]);
        w.AppendNote(2600, "clipboard: 5 bytes from the browser");
        w.AppendSessionEnd(3000, SessionEndReason.ClientClosed, "bye");
        w.Finish(3000);
        Assert.Equal(HexVectors.Load("tdp-small.orec"), output.ToArray());
        Assert.Equal([new StreamSyncPoint(295, 2000, 4, 14, 194)], w.Index);
    }

    [Fact]
    public void TimelineFromTheIndexAndFromAScanAgree()
    {
        var file = HexVectors.Load("tdp-small.orec");
        var fromIndex = RecordingTimeline.FromFile(file);
        var scanned = RecordingTimeline.Scan(file);
        Assert.True(fromIndex.IsFromIndex);
        Assert.False(scanned.IsFromIndex);
        foreach (var t in new[] { fromIndex, scanned })
        {
            Assert.True(t.IsComplete);
            Assert.Equal(3000, t.DurationUs);
            Assert.Equal(224, t.ServerBytes);
            Assert.Equal(14, t.ClientBytes);
            Assert.Equal(52, t.RecordsStart);
            Assert.Equal(622, t.DataEnd);
            Assert.Equal([new StreamSyncPoint(295, 2000, 4, 14, 194)], t.SyncPoints);
            Assert.Null(t.SyncPointAtOrBefore(1999));
            Assert.Equal(295, t.SyncPointAtOrBefore(2000)!.FileOffset);
            Assert.Equal(new RecordingSeekRange(52, 295, null), t.SeekRange(1000));
            Assert.Equal(new RecordingSeekRange(295, 622, t.SyncPoints[0]), t.SeekRange(2700));
            Assert.Equal(new RecordingSeekRange(295, 395, t.SyncPoints[0]), t.SeekRange(2700, maxLength: 100));
        }

        // Three buckets of 1000 us: the scan counts each record at its time; the index spreads 194 bytes over
        // 0-2000 us and 30 over 2000-3000 us.
        var exact = scanned.Histogram(3);
        Assert.Equal(1000, exact.BucketUs);
        Assert.Equal([0L, 194, 30], exact.Bytes);
        var spread = fromIndex.Histogram(3);
        Assert.Equal(1000, spread.BucketUs);
        Assert.Equal([97L, 97, 30], spread.Bytes);
    }

    [Fact]
    public void EveryTruncationReadsUpToTheLastCompleteRecord()
    {
        var file = HexVectors.Load("tdp-small.orec");
        var full = StreamRecordingReader.ReadAll(file);
        var ends = full.Records.Select(r => r.FileOffset).Skip(1).Append(file.Length).ToArray();
        const int KeyframeDone = 527; // the end of the keyframe's last part
        for (var length = 52; length < file.Length; length++)
        {
            var cut = file.AsMemory(0, length);
            var result = StreamRecordingReader.ReadAll(cut, StreamRecordingReadMode.Tolerant);
            var complete = ends.Count(e => e <= length);
            Assert.Null(result.Error);
            Assert.Equal(full.Records.Take(complete).Select(r => (r.Kind, r.FileOffset)), result.Records.Select(r => (r.Kind, r.FileOffset)));
            Assert.Equal(complete == 0 ? 52 : ends[complete - 1], result.ValidLength);
            Assert.Equal(result.ValidLength, result.TruncatedAt);
            Assert.Throws<Oriel.Wire.DecodeException>(() => StreamRecordingReader.ReadAll(cut));

            var timeline = RecordingTimeline.FromFile(cut);
            Assert.False(timeline.IsFromIndex);
            Assert.False(timeline.IsComplete);
            Assert.Equal(result.ValidLength, timeline.DataEnd);
            Assert.Equal(result.Records.Count == 0 ? 0 : result.Records[^1].TimeMicroseconds, timeline.DurationUs);
            // The keyframe is a place to start from only once its last part is in.
            Assert.Equal(length >= KeyframeDone ? 1 : 0, timeline.SyncPoints.Count);
            Assert.Equal(timeline.ServerBytes, timeline.Histogram(7).Bytes.Sum());
        }
    }

    private static List<TdpMessageType> Types(ReadOnlyMemory<byte> payload) =>
        [.. TdpMessageSplitter.Split(payload).Select(m => (TdpMessageType)m.Span[0])];
}
