using System.Buffers;
using CsCheck;
using Oriel.Tdp;

namespace Oriel.Recording.Tests;

/// <summary>
/// Property tests (CsCheck: generated sessions, shrunk to the smallest failing one) of the tdp writer, reader and
/// timeline together: what goes in comes out, the index and a scan agree, and a cut file keeps a prefix of the
/// keyframes.
/// </summary>
public class TdpRecordingPropertyTests
{
    /// <summary>One step of a generated session: what to write, how long after the previous step, and a size.</summary>
    public sealed record Step(int Kind, int DelayUs, int Size);

    /// <summary>A generated session and the writer options it is written with.</summary>
    public sealed record Session(Step[] Steps, int PartCap, int IndexCapacity, bool Finish, int Cut, int Buckets);

    private static readonly Gen<Step> s_step = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 5000], Gen.Int[0, 400], (k, d, s) => new Step(k, d, s));

    private static readonly Gen<Session> s_session = Gen.Select(
        s_step.Array[0, 80], Gen.Int[430, 3000], Gen.Int[1, 40], Gen.Bool, Gen.Int[0, 1_000_000], Gen.Int[1, 200],
        (steps, cap, capacity, finish, cut, buckets) => new Session(steps, cap, capacity, finish, cut, buckets));

    private sealed record Built(byte[] File, List<(StreamRecordKind Kind, byte[] Payload)> Data, List<List<byte[]>> Keyframes, long ServerBytes);

    private static byte[] Jpeg(int size, int salt) =>
        TdpCodec.Encode(new JpegFrameMessage((uint)salt, 0, (uint)salt + 1, 1, [.. Enumerable.Range(0, size).Select(i => (byte)(i * 31 + salt))]));

    private static Built Write(Session s)
    {
        var output = new ArrayBufferWriter<byte>();
        var w = new StreamRecordingWriter(output, TdpRecordings.Header, new StreamRecordingWriterOptions { MaxKeyframePartLength = s.PartCap, IndexCapacity = s.IndexCapacity });
        var data = new List<(StreamRecordKind, byte[])>();
        var keyframes = new List<List<byte[]>>();
        long t = 0, server = 0;
        var salt = 0;
        foreach (var step in s.Steps)
        {
            t += step.DelayUs;
            salt++;
            switch (step.Kind)
            {
                case 0:
                {
                    byte[] update = [.. Jpeg(step.Size, salt), .. TdpCodec.Encode(new FrameMarkerMessage((uint)salt))];
                    w.AppendData(StreamDirection.ServerToClient, t, update);
                    data.Add((StreamRecordKind.ServerData, update));
                    server += update.Length;
                    break;
                }
                case 1:
                {
                    var input = TdpCodec.Encode(new MouseMoveMessage((uint)step.Size, 1));
                    w.AppendData(StreamDirection.ClientToServer, t, input);
                    data.Add((StreamRecordKind.ClientData, input));
                    break;
                }
                case 2:
                case 3:
                {
                    List<byte[]> messages = [TdpCodec.Encode(new DesktopSizeMessage(64, 64))];
                    for (var i = 0; i <= step.Size % 5; i++) messages.Add(Jpeg(step.Size, salt + i));
                    w.AppendKeyframe(t, [.. messages.Select(m => (ReadOnlyMemory<byte>)m)]);
                    keyframes.Add(messages);
                    break;
                }
                default:
                    w.AppendNote(t, "note " + salt);
                    break;
            }
        }
        if (s.Finish) w.Finish(t);
        return new Built(output.WrittenSpan.ToArray(), data, keyframes, server);
    }

    [Fact]
    public void What_goes_in_comes_out_and_the_index_agrees_with_a_scan()
    {
        s_session.Sample(s =>
        {
            var built = Write(s);
            var read = StreamRecordingReader.ReadAll(built.File, s.Finish ? StreamRecordingReadMode.Strict : StreamRecordingReadMode.Tolerant);
            Assert.Null(read.Error);
            Assert.Equal(built.Data.Select(d => (d.Kind, d.Payload)), read.Records.Where(r => r.IsData).Select(r => (r.Kind, r.Payload.ToArray())));

            // Keyframes: regroup the parts (Sync, parts..., last) and split them back into the messages written.
            var keyframes = new List<List<byte[]>>();
            foreach (var r in read.Records)
            {
                if (r.Kind == StreamRecordKind.Sync) keyframes.Add([]);
                if (r.Kind != StreamRecordKind.Keyframe) continue;
                var part = KeyframePart.ParseMessages(r.Payload, out _);
                Assert.True(r.Payload.Length <= s.PartCap);
                keyframes[^1].AddRange(TdpMessageSplitter.Split(part).Select(m => m.ToArray()));
            }
            Assert.Equal(built.Keyframes, keyframes);

            var scanned = RecordingTimeline.Scan(built.File);
            Assert.Equal(built.Keyframes.Count, scanned.SyncPoints.Count);
            Assert.Equal(built.ServerBytes, scanned.ServerBytes);
            Assert.Equal(built.ServerBytes, scanned.Histogram(s.Buckets).Bytes.Sum());
            var timeline = RecordingTimeline.FromFile(built.File);
            Assert.Equal(s.Finish, timeline.IsFromIndex);
            if (!s.Finish) return;

            // The index lists some of the keyframes (all of them when there is room); ranges found through it hold
            // the ranges a full scan gives.
            Assert.Subset(scanned.SyncPoints.ToHashSet(), timeline.SyncPoints.ToHashSet());
            if (built.Keyframes.Count <= s.IndexCapacity) Assert.Equal(scanned.SyncPoints, timeline.SyncPoints);
            Assert.Equal(scanned.DurationUs, timeline.DurationUs);
            Assert.Equal(built.ServerBytes, timeline.Histogram(s.Buckets).Bytes.Sum());
            Assert.All(timeline.Histogram(s.Buckets).Bytes, b => Assert.True(b >= 0));
            for (var t = 0L; t <= timeline.DurationUs; t += Math.Max(1, timeline.DurationUs / 7))
            {
                var coarse = timeline.SeekRange(t);
                var fine = scanned.SeekRange(t);
                Assert.True(coarse.Start <= fine.Start && fine.End <= coarse.End, $"{coarse} does not hold {fine}");
            }
        }, iter: 300);
    }

    [Fact]
    public void A_cut_file_keeps_a_prefix_of_the_keyframes()
    {
        s_session.Sample(s =>
        {
            var built = Write(s);
            var full = RecordingTimeline.Scan(built.File);
            var headerLength = TdpRecordings.Header.Size;
            var cut = headerLength + (s.Cut % (built.File.Length - headerLength + 1));
            var timeline = RecordingTimeline.Scan(built.File.AsMemory(0, cut));
            Assert.Null(timeline.Error);
            Assert.True(timeline.DataEnd <= cut);
            Assert.Equal(full.SyncPoints.Take(timeline.SyncPoints.Count), timeline.SyncPoints);
            Assert.All(timeline.SyncPoints, p => Assert.True(p.FileOffset < timeline.DataEnd));
            Assert.Equal(timeline.ServerBytes, timeline.Histogram(s.Buckets).Bytes.Sum());
            Assert.True(timeline.ServerBytes <= full.ServerBytes);
        }, iter: 300);
    }
}
