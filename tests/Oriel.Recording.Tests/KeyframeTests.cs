using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Recording.Tests;

/// <summary>Keyframe payloads, splitting payloads into TDP messages, and the writer's and reader's rules for the tdp kind.</summary>
public class KeyframeTests
{
    private static readonly byte[] s_desktop = TdpCodec.Encode(new DesktopSizeMessage(640, 480));
    private static readonly byte[] s_marker = TdpCodec.Encode(new FrameMarkerMessage(9));

    [Fact]
    public void A_part_is_a_flag_byte_then_messages()
    {
        var part = KeyframePart.Parse([0x01, .. s_desktop]);
        Assert.True(part.Last);
        Assert.Equal(s_desktop, part.Messages.ToArray());
        Assert.False(KeyframePart.Parse([0x00, .. s_desktop]).Last);
        // Reserved bits are ignored (a later minor version may use them).
        Assert.False(KeyframePart.Parse([0xFE, .. s_desktop]).Last);
        Assert.True(KeyframePart.Parse([0xFF, .. s_desktop]).Last);
    }

    [Fact]
    public void A_part_without_messages_is_refused()
    {
        Assert.Contains("flag byte", Assert.Throws<DecodeException>(() => KeyframePart.Parse([])).Message, StringComparison.Ordinal);
        var e = Assert.Throws<DecodeException>(() => KeyframePart.Parse([0x01]));
        Assert.Equal(1, e.Offset);
    }

    [Fact]
    public void The_splitter_gives_whole_messages_in_order()
    {
        byte[] payload = [.. s_desktop, .. s_marker, .. s_desktop];
        var messages = TdpMessageSplitter.Split(payload);
        Assert.Equal(3, messages.Count);
        Assert.Equal(new DesktopSizeMessage(640, 480), TdpCodec.Decode(messages[0].Span));
        Assert.Equal(new FrameMarkerMessage(9), TdpCodec.Decode(messages[1].Span));
        Assert.Equal(3, TdpMessageSplitter.Count(payload));
        var offsets = new List<int>();
        var lengths = new List<int>();
        var e = TdpMessageSplitter.Enumerate(payload);
        while (e.MoveNext())
        {
            offsets.Add(e.Offset);
            lengths.Add(e.Current.Length);
        }
        Assert.Equal([0, 9, 14], offsets);
        Assert.Equal([9, 5, 9], lengths);
    }

    [Fact]
    public void The_splitter_refuses_what_is_not_whole_messages()
    {
        // Empty, cut inside a message, unknown type, over-cap length: DecodeException with the offset in the payload.
        Assert.Throws<DecodeException>(() => TdpMessageSplitter.Count([]));
        var cut = Assert.Throws<DecodeException>(() => TdpMessageSplitter.Count([.. s_desktop, .. s_marker[..3]]));
        Assert.Equal(9, cut.Offset);
        var unknown = Assert.Throws<DecodeException>(() => TdpMessageSplitter.Count([.. s_marker, 0xEE, 0, 0]));
        Assert.Equal(5, unknown.Offset);
        var huge = Assert.Throws<DecodeException>(() => TdpMessageSplitter.Count([.. s_marker, 106, 0x7F, 0xFF, 0xFF, 0xFF]));
        Assert.Equal(6, huge.Offset);
        Assert.Contains("cap", huge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppendKeyframe_writes_a_sync_then_parts_split_at_message_boundaries()
    {
        var random = new Random(7);
        var output = new DirtyBufferWriter();
        var w = new StreamRecordingWriter(output, TdpRecordings.Header, new StreamRecordingWriterOptions { MaxKeyframePartLength = 700 });
        var messages = TdpRecordings.Keyframe(random, 6, 300); // desktop size (9 bytes), 6 tiles of 321, cursor (29): 652 + 643 + 672
        w.AppendData(StreamDirection.ServerToClient, 10, s_marker);
        w.AppendKeyframe(20, messages);
        w.Finish(30);
        var result = StreamRecordingReader.ReadAll(output.ToArray());
        var kinds = result.Records.Select(r => r.Kind).ToList();
        Assert.Equal([StreamRecordKind.ServerData, StreamRecordKind.Sync, StreamRecordKind.Keyframe, StreamRecordKind.Keyframe, StreamRecordKind.Keyframe, StreamRecordKind.End], kinds);
        var parts = result.Records.Where(r => r.Kind == StreamRecordKind.Keyframe).ToList();
        Assert.All(parts, p => Assert.True(p.Payload.Length <= 700));
        Assert.All(parts, p => Assert.Equal(20, p.TimeMicroseconds));
        Assert.Equal([false, false, true], parts.Select(p => KeyframePart.Parse(p.Payload.Span).Last));
        var back = parts.SelectMany(p => TdpMessageSplitter.Split(KeyframePart.ParseMessages(p.Payload, out _))).Select(m => m.ToArray()).ToList();
        Assert.Equal(messages.Select(m => m.ToArray()), back);
        Assert.Equal(new StreamSyncPoint(result.Records[1].FileOffset, 20, 1, 0, 5), Assert.Single(result.End!.Index));
        // Keyframes are not data: the totals count the ServerData record only.
        Assert.Equal(5, result.End.ServerBytes);
    }

    [Fact]
    public void AppendKeyframe_refuses_what_a_reader_could_not_use()
    {
        var w = new StreamRecordingWriter(new DirtyBufferWriter(), TdpRecordings.Header, new StreamRecordingWriterOptions { MaxKeyframePartLength = 100 });
        Assert.Throws<ArgumentException>(() => w.AppendKeyframe(0, []));
        Assert.Throws<ArgumentException>(() => w.AppendKeyframe(0, [s_desktop, TdpRecordings.Jpeg(new Random(1), 0, 0, 100)])); // over the part cap
        Assert.Throws<ArgumentException>(() => w.AppendKeyframe(0, [s_desktop[..5]])); // not a whole message
        Assert.Throws<ArgumentException>(() => w.AppendKeyframe(0, [s_desktop, new byte[] { 0xEE, 1 }])); // unknown type
        Assert.Throws<ArgumentException>(() => w.AppendKeyframe(0, [s_marker])); // not starting with a desktop size
        Assert.Throws<ArgumentException>(() => w.AppendKeyframe(0, [(byte[])[.. s_desktop, .. s_marker]])); // two in one entry
        Assert.Equal(0, w.RecordCount); // nothing was written for a refused keyframe

        var big = new StreamRecordingWriter(new DirtyBufferWriter(), TdpRecordings.Header);
        var tooLong = TdpCodec.Encode(new JpegFrameMessage(0, 0, 1, 1, new byte[StreamRecordingFormat.MaxPayloadLength - JpegFrameMessage.HeaderSize]));
        Assert.Equal(StreamRecordingFormat.MaxPayloadLength, tooLong.Length);
        Assert.Throws<ArgumentException>(() => big.AppendKeyframe(0, [s_desktop, tooLong])); // the flag byte makes it one over the record cap
        var fits = TdpCodec.Encode(new JpegFrameMessage(0, 0, 1, 1, new byte[StreamRecordingFormat.MaxPayloadLength - JpegFrameMessage.HeaderSize - 1]));
        big.AppendKeyframe(0, [s_desktop, fits]);
        Assert.Equal(3, big.RecordCount); // the Sync, a part with the desktop size, and one of exactly 1 MiB
        Assert.Equal(StreamRecordingFormat.MaxPayloadLength, KeyframePart.Parse([0x01, .. fits]).Messages.Length + 1);
    }

    [Fact]
    public void A_tdp_writer_writes_whole_messages_per_record_and_no_sync_of_its_own()
    {
        var output = new DirtyBufferWriter();
        var w = new StreamRecordingWriter(output, TdpRecordings.Header, new StreamRecordingWriterOptions { MaxDataRecordLength = 4, SyncIntervalBytes = 1, SyncIntervalMicroseconds = 1 });
        w.AppendData(StreamDirection.ServerToClient, 0, [.. s_desktop, .. s_marker]); // longer than MaxDataRecordLength: still one record
        w.AppendData(StreamDirection.ServerToClient, 5_000_000, s_marker);
        Assert.Throws<ArgumentException>(() => w.AppendData(StreamDirection.ServerToClient, 6_000_000, s_desktop[..4]));
        Assert.Throws<ArgumentException>(() => w.AppendData(StreamDirection.ClientToServer, 6_000_000, new byte[StreamRecordingFormat.MaxPayloadLength + 1]));
        Assert.Throws<InvalidOperationException>(() => w.AppendSync(6_000_000));
        w.Finish(6_000_000);
        var result = StreamRecordingReader.ReadAll(output.ToArray());
        Assert.Equal([StreamRecordKind.ServerData, StreamRecordKind.ServerData, StreamRecordKind.End], result.Records.Select(r => r.Kind));
        Assert.Empty(result.End!.Index);
    }

    [Fact]
    public void Only_a_tdp_recording_has_keyframes()
    {
        var w = new StreamRecordingWriter(new DirtyBufferWriter(), Sessions.Header);
        Assert.Throws<InvalidOperationException>(() => w.AppendKeyframe(0, [s_desktop]));
    }

    /// <summary>A file of the given records (kind, time, payload) after the tdp header, with correct framing and CRCs.</summary>
    private static byte[] File(params (StreamRecordKind Kind, long Time, byte[] Payload)[] records)
    {
        var header = new byte[TdpRecordings.Header.Size];
        TdpRecordings.Header.Encode(header);
        var bytes = new List<byte>(header);
        foreach (var (kind, time, payload) in records)
        {
            var frame = new byte[RecordFrame.SizeOf(time, payload.Length)];
            RecordFrame.Write(frame, (byte)kind, time, payload);
            bytes.AddRange(frame);
        }
        return [.. bytes];
    }

    private static byte[] Sync(int records) => [(byte)records, 0, 0];

    [Fact]
    public void The_reader_checks_where_keyframe_parts_stand()
    {
        byte[] last = [0x01, .. s_desktop];
        byte[] notLast = [0x00, .. s_desktop];

        // Fine: Sync then parts of the same time.
        var ok = StreamRecordingReader.ReadAll(File((StreamRecordKind.Sync, 5, Sync(0)), (StreamRecordKind.Keyframe, 5, notLast), (StreamRecordKind.Keyframe, 5, last)), StreamRecordingReadMode.Tolerant);
        Assert.Null(ok.Error);
        Assert.Equal(3, ok.Records.Count);

        DecodeException Fails(byte[] file)
        {
            var result = StreamRecordingReader.ReadAll(file, StreamRecordingReadMode.Tolerant);
            Assert.NotNull(result.Error);
            return result.Error;
        }

        // A part with no Sync before it.
        Assert.Contains("must follow", Fails(File((StreamRecordKind.SessionStart, 5, []), (StreamRecordKind.Keyframe, 5, last))).Why, StringComparison.Ordinal);
        // A part of another time than its Sync.
        Fails(File((StreamRecordKind.Sync, 5, Sync(0)), (StreamRecordKind.Keyframe, 6, last)));
        // A second keyframe after a last part, without a Sync.
        Fails(File((StreamRecordKind.Sync, 5, Sync(0)), (StreamRecordKind.Keyframe, 5, last), (StreamRecordKind.Keyframe, 5, last)));
        // A keyframe interrupted before its last part.
        var interrupted = Fails(File((StreamRecordKind.Sync, 5, Sync(0)), (StreamRecordKind.Keyframe, 5, notLast), (StreamRecordKind.ServerData, 5, s_marker)));
        Assert.Contains("interrupts", interrupted.Why, StringComparison.Ordinal);
        // A part holding only its flag byte.
        Fails(File((StreamRecordKind.Sync, 5, Sync(0)), (StreamRecordKind.Keyframe, 5, [0x01])));
    }
}
