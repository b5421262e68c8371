using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;
using Oriel.Graphics.TurboJpeg;
using Oriel.Recording;
using Oriel.Testing;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A passthrough session (stock noVNC in headless Chromium, through the gateway's relay, to a real Xvnc with a
/// terminal printing for about eleven seconds) is recorded as <c>rfb-passthrough</c>, and the gateway's
/// <see cref="PlayableRecordings"/> turns it into the TDP recording the player plays. Decoding that file's tiles
/// (PNG with the tests' own decoder, JPEG with libjpeg-turbo) must give the screen that replaying the original RFB
/// stream gives, with keyframes at the first frame after each five seconds of activity.
/// </summary>
public sealed class PassthroughReplayTests
{
    private const string User = "dana";
    private const string Password = "dana-password-12";
    private const long FiveSeconds = 5_000_000;

    [Fact]
    public async Task ARecordedNoVncSessionPlaysAsTdpWithTheSameScreenAndKeyframes()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 480, Height = 320 });
        await using var gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["none"]);
        await using var chromium = await ChromiumBrowser.LaunchAsync();
        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#2c4f70");

        var page = await NoVncPage.OpenAsync(chromium, gateway, User, Password, "lab");

        // About twenty seconds of activity (a terminal printing a line every half second), then a still screen: long
        // enough for two keyframes five seconds apart even when a loaded machine starts the terminal late or merges
        // its updates (eleven seconds of it once gave frames spanning less than ten).
        await xvnc.RunXClientAsync("xterm", "-geometry", "40x12+20+20", "-bg", "#f4f1de", "-fg", "#1b1b1b", "-e", "sh", "-c",
            "i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo line $i of the replay test; sleep 0.5; done; sleep 600");
        await Task.Delay(TimeSpan.FromSeconds(26));
        var lastSeen = await CanvasCheck.WaitUntilCanvasMatchesAsync(page, xvnc, "#screen canvas", timeoutSeconds: 25);
        await page.Context.CloseAsync();

        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab");
        var recording = end.Details!["recording"]!.GetValue<string>();
        var source = Path.Combine(gateway.DataDir, "recordings", recording);
        var id = recording[..recording.IndexOf('.', StringComparison.Ordinal)];

        var row = await gateway.Get<IOrielStore>().GetRecordingAsync(id, CancellationToken.None);
        Assert.Equal(StreamRecordingHeader.RfbPassthroughKind, row!.Kind);
        var tdpPath = await gateway.Get<PlayableRecordings>().GetTdpFileAsync(row, CancellationToken.None);
        Assert.Equal(Path.Combine(gateway.DataDir, "recordings", id + ".tdp.orec"), tdpPath);

        using var jpeg = TurboJpegLibrary.CreateCodec(); // noVNC asks for Tight JPEG; the gateway has libjpeg-turbo
        var replay = RecordingReplayer.ReplayFile(source, jpeg: jpeg);
        Assert.True(replay.IsComplete);
        var expected = replay.Observer.Framebuffer!;
        var playback = TdpRecordingPlayback.Play(await File.ReadAllBytesAsync(tdpPath), jpeg);
        Assert.Equal((expected.Width, expected.Height), (playback.Canvas.Screen!.Width, playback.Canvas.Screen.Height));
        var differences = playback.Canvas.CountDifferences(expected.Pixels, out var first);
        Assert.True(differences == 0, $"{differences} pixels differ from the replayed RFB stream; first at {first}");
        Assert.Equal((lastSeen.Width, lastSeen.Height), (playback.Canvas.Screen.Width, playback.Canvas.Screen.Height));

        // Keyframes: the first frame at least five seconds after the previous one (the start for the first).
        var expectedKeyframes = new List<long>();
        var last = 0L;
        foreach (var t in playback.FrameTimes.Distinct())
        {
            if (t - last < FiveSeconds) continue;
            expectedKeyframes.Add(t);
            last = t;
        }
        Assert.True(expectedKeyframes.Count >= 2, $"frames at {string.Join(", ", playback.FrameTimes)}");
        Assert.Equal(expectedKeyframes, playback.Keyframes.Select(k => k.TimeUs));
        Assert.All(playback.Keyframes, k => Assert.Equal((480, 320), (k.Canvas.Screen!.Width, k.Canvas.Screen.Height)));

        // The same session, same times: the header and the duration are the source's.
        var sourceRead = StreamRecordingReader.ReadAll(await File.ReadAllBytesAsync(source), StreamRecordingReadMode.Strict);
        Assert.Equal(sourceRead.Header!.StartUnixMilliseconds, playback.Read.Header!.StartUnixMilliseconds);
        Assert.Equal((sourceRead.Header.SessionId, sourceRead.Header.User, sourceRead.Header.TargetId), (playback.Read.Header.SessionId, playback.Read.Header.User, playback.Read.Header.TargetId));
        Assert.Equal(sourceRead.End!.DurationMicroseconds, playback.Read.End!.DurationMicroseconds);

        // Cut short (a crash mid-session): transcodes up to the last complete record.
        var bytes = await File.ReadAllBytesAsync(source);
        var cut = bytes[..(bytes.Length * 3 / 5)];
        using var output = new MemoryStream();
        var result = PassthroughTranscoder.Transcode(new MemoryStream(cut), cut.Length, output, jpeg);
        Assert.False(result.SourceComplete);
        var cutPlayback = TdpRecordingPlayback.Play(output.ToArray(), jpeg);
        var cutReplay = RecordingReplayer.Replay(cut, jpeg: jpeg);
        differences = cutPlayback.Canvas.CountDifferences(cutReplay.Observer.Framebuffer!.Pixels, out first);
        Assert.True(differences == 0, $"cut short: {differences} pixels differ; first at {first}");
    }
}
