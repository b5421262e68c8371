using System.Text.Json.Nodes;
using Oriel.Gateway.Recordings;
using Oriel.Graphics.TurboJpeg;
using Oriel.Recording;
using Oriel.Testing;

namespace Oriel.Gateway.Tests.Replay;

/// <summary>
/// <see cref="PassthroughTranscoder"/> on hand-built passthrough recordings: the TDP file it writes, played on an
/// independent canvas (<see cref="TdpCanvas"/>: its own PNG decoder), must end on the screen that replaying the
/// source through <see cref="Oriel.Rfb.Replay.RfbStreamObserver"/> gives; keyframes come at the first frame after
/// each five seconds and each draws exactly what linear playback shows there.
/// </summary>
public sealed class PassthroughTranscoderTests
{
    private const long Second = 1_000_000;

    private static uint Gradient(int x, int y) => (uint)(((x * 7) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | ((x + y) & 0xFF));

    /// <summary>Activity from 1 s to 7.5 s, silence, a resize and more activity from 20 s to 22 s.</summary>
    private static PassthroughRecordingBuilder Session()
    {
        var b = new PassthroughRecordingBuilder(320, 200);
        b.Update(1 * Second, PassthroughRecordingBuilder.Raw(0, 0, 320, 200, Gradient));
        for (var i = 0; i < 12; i++)
        {
            var colour = 0x102030u * (uint)(i + 1);
            b.Update((3 * Second / 2) + (i * Second / 2), PassthroughRecordingBuilder.Raw(10 + (i * 20), 20 + (i * 10), 40, 30, (x, y) => colour ^ (uint)(x * y)));
        }
        b.Update(15 * Second / 2, PassthroughRecordingBuilder.Copy(0, 0, 100, 120, 64, 48));
        b.Update(20 * Second, PassthroughRecordingBuilder.DesktopSize(400, 240), PassthroughRecordingBuilder.Raw(0, 0, 400, 240, (x, y) => Gradient(y, x)));
        for (var i = 0; i < 4; i++)
        {
            b.Update((41 * Second / 2) + (i * Second / 2), PassthroughRecordingBuilder.Raw(300 - (i * 30), 200 - (i * 20), 50, 20, (x, y) => 0xFF00FFu - (uint)i));
        }
        return b;
    }

    private static (PassthroughTranscodeResult Result, byte[] Tdp) Transcode(byte[] source, Oriel.Graphics.Jpeg.JpegCodec? jpeg = null)
    {
        using var output = new MemoryStream();
        var result = PassthroughTranscoder.Transcode(new MemoryStream(source), source.Length, output, jpeg);
        return (result, output.ToArray());
    }

    /// <summary>The keyframe rule, from the frames alone: the first frame at least 5 s after the previous keyframe (the start for the first).</summary>
    private static List<long> ExpectedKeyframes(IEnumerable<long> frameTimes)
    {
        var expected = new List<long>();
        var last = 0L;
        foreach (var t in frameTimes.Distinct())
        {
            if (t - last < 5 * Second) continue;
            expected.Add(t);
            last = t;
        }
        return expected;
    }

    [Fact]
    public void ASessionTranscodesToTheScreenTheReplayGivesWithKeyframesEveryFiveSecondsOfActivity()
    {
        var source = Session().Finish(23 * Second);
        var (result, tdp) = Transcode(source);

        var expected = RecordingReplayer.Replay(source).Observer.Framebuffer!;
        var playback = TdpRecordingPlayback.Play(tdp);
        Assert.Equal((400, 240), (playback.Canvas.Screen!.Width, playback.Canvas.Screen.Height));
        var differences = playback.Canvas.CountDifferences(expected.Pixels, out var first);
        Assert.True(differences == 0, $"{differences} pixels differ; first at {first}");
        Assert.True(playback.Canvas.Copies >= 1); // the CopyRect stayed a copy
        Assert.Equal(0, playback.Canvas.JpegTiles);

        // Keyframes: 5 s after the start, then none during the silence, the next at the first frame after it.
        Assert.Equal(ExpectedKeyframes(playback.FrameTimes), playback.Keyframes.Select(k => k.TimeUs));
        Assert.Equal([5 * Second, 20 * Second], playback.Keyframes.Select(k => k.TimeUs));
        Assert.All(playback.Keyframes, k => Assert.Equal(0, k.DifferencesFromLinear));
        Assert.Equal(2, result.Keyframes);
        Assert.Equal(playback.Read.SyncPoints.Count, playback.Keyframes.Count);
        var timeline = RecordingTimeline.FromFile(tdp); // what the player seeks with: the sync points are the keyframes
        Assert.True(timeline.IsFromIndex && timeline.IsComplete);
        Assert.Equal(23 * Second, timeline.DurationUs);
        Assert.Equal(5 * Second, timeline.SyncPointAtOrBefore(19 * Second)!.TimeMicroseconds);
        Assert.Equal(20 * Second, timeline.SyncPointAtOrBefore(22 * Second)!.TimeMicroseconds);

        // Same session, times kept; the header says what it was made from.
        Assert.True(result.SourceComplete);
        Assert.Null(result.SourceDamage);
        Assert.Equal(23 * Second, playback.Read.End!.DurationMicroseconds);
        var header = playback.Read.Header!;
        Assert.Equal(("s1", "desk", "dana", 1_700_000_000_000L), (header.SessionId, header.TargetId, header.User, header.StartUnixMilliseconds));
        var meta = JsonNode.Parse(header.Metadata)!.AsObject();
        Assert.Equal("127.0.0.1:5900", meta["target"]!.GetValue<string>());
        Assert.Equal(source.Length.ToString("D19", System.Globalization.CultureInfo.InvariantCulture), meta[PassthroughTranscoder.MetadataMember]!["sourceBytes"]!.GetValue<string>());
        Assert.Equal(source.Length, PassthroughTranscoder.ReadSourceBytes(new MemoryStream(tdp)));
        Assert.Equal(1 * Second, playback.FrameTimes[0]);
        Assert.Contains(playback.Read.Records, r => r.Kind == StreamRecordKind.SessionEnd && r.TimeMicroseconds == 23 * Second);
    }

    [Fact]
    public void ATruncatedSourceTranscodesUpToItsLastCompleteRecord()
    {
        var complete = Session().Finish(23 * Second);
        var running = Session().Incomplete(); // no End: still being written
        foreach (var cut in new[] { running, complete[..(complete.Length * 2 / 3)], complete[..(complete.Length - 5)], complete[..(complete.Length / 3)] })
        {
            var (result, tdp) = Transcode(cut);
            Assert.False(result.SourceComplete);
            Assert.NotNull(result.SourceDamage);
            var replay = RecordingReplayer.Replay(cut);
            var playback = TdpRecordingPlayback.Play(tdp); // strict: the TDP file itself is complete
            var differences = playback.Canvas.CountDifferences(replay.Observer.Framebuffer!.Pixels, out var first);
            Assert.True(differences == 0, $"cut at {cut.Length}: {differences} pixels differ; first at {first}");
            // The rule holds, but for a last frame that the cut left half drawn (no keyframe is taken mid-update).
            var keyframes = playback.Keyframes.Select(k => k.TimeUs).ToList();
            var expectedKeyframes = ExpectedKeyframes(playback.FrameTimes);
            Assert.Equal(expectedKeyframes.Take(keyframes.Count), keyframes);
            Assert.InRange(keyframes.Count, expectedKeyframes.Count - 1, expectedKeyframes.Count);
            Assert.All(playback.Keyframes, k => Assert.Equal(0, k.DifferencesFromLinear));
        }
    }

    [Fact]
    public void JpegTilesAreRefinedSoTheLastScreenIsExact()
    {
        using var jpeg = TurboJpegLibrary.CreateCodec();
        var b = new PassthroughRecordingBuilder(256, 192);
        var random = new Random(7);
        var noise = new uint[256 * 192];
        foreach (ref var p in noise.AsSpan()) p = (uint)random.Next(0x1000000);
        b.Update(1 * Second, PassthroughRecordingBuilder.Raw(0, 0, 256, 192, (x, y) => noise[(y * 256) + x]));
        b.Update(3 * Second, PassthroughRecordingBuilder.Raw(0, 0, 8, 8, (x, y) => 0x123456));
        var source = b.Finish(4 * Second);

        var (_, tdp) = Transcode(source, jpeg);
        var playback = TdpRecordingPlayback.Play(tdp, jpeg);
        Assert.True(playback.Canvas.JpegTiles > 0, "photo-like content goes as JPEG, as in a live session");
        var expected = RecordingReplayer.Replay(source).Observer.Framebuffer!;
        Assert.Equal(0, playback.Canvas.CountDifferences(expected.Pixels, out _));
        // The refinement came 300 ms after the JPEG tiles, on the recording's clock, before the next update.
        Assert.Contains(playback.FrameTimes, t => t == (1 * Second) + 300_000);
    }

    [Fact]
    public void AnEncodingTheReplayDoesNotDecodeGivesAClearError()
    {
        var b = new PassthroughRecordingBuilder(64, 64);
        b.Update(1 * Second, PassthroughRecordingBuilder.Raw(0, 0, 64, 64, Gradient));
        b.Update(2 * Second, [.. PassthroughRecordingBuilder.Header(0, 0, 16, 16, 6), 0, 0, 0, 4, 1, 2, 3, 4]); // Zlib (6)
        var source = b.Finish(3 * Second);
        var e = Assert.Throws<RecordingUnplayableException>(() => Transcode(source));
        Assert.Contains("cannot be played", e.Message, StringComparison.Ordinal);
        Assert.Contains("offset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyPassthroughRecordingsTranscode()
    {
        var (_, tdp) = Transcode(Session().Finish(23 * Second));
        var e = Assert.Throws<RecordingUnplayableException>(() => Transcode(tdp));
        Assert.Contains("'tdp'", e.Message, StringComparison.Ordinal);
        Assert.Throws<RecordingUnplayableException>(() => Transcode("not a recording at all"u8.ToArray()));
        Assert.Throws<RecordingUnplayableException>(() => Transcode([]));
    }
}
