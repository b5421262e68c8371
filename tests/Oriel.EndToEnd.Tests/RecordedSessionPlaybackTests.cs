using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Access;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;
using Oriel.Recording;
using Oriel.TestPeers;
using Oriel.Testing;
using Xunit.Abstractions;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// The whole path of a recording, end to end in headless Chromium through the real gateway to Xvnc: a user's rendered
/// session changes its screen several times (root colours, an xterm, typed text) while the live canvas is sampled; after
/// the session ends, the same user opens the recording from the recordings page, seeks the player to each sampled moment
/// and sees the pixels the live canvas showed then; the player's MP4 export downloads a video as long as the recording
/// (ffprobe) that shows each moment's root colour at that moment (ffmpeg).
/// </summary>
public sealed class RecordedSessionPlaybackTests(ITestOutputHelper output)
{
    private const string User = "rita";
    private const string Password = "rita-password-1";
    private const string VncPassword = "vncpw123";

    /// <summary>One moment of the live session: its time in the recording's clock is fixed once the header is read.</summary>
    private sealed record Moment(string What, DateTimeOffset At, int Width, int Height, int[][] Points, uint[] Pixels);

    [Fact]
    public async Task A_recorded_session_plays_back_in_the_browser_player_as_the_user_saw_it_and_exports_to_mp4()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 800, Height = 600, Security = [XvncSecurity.VncAuth], VncPassword = VncPassword });
        await using var gateway = await GatewayUnderTest.StartAsync(withWebClient: true, configure: o =>
        {
            o.RecordingKeyframeInterval = TimeSpan.FromSeconds(2);
            o.RecordingExport.X264Preset = "ultrafast";
        });
        await gateway.CreateUserAsync(User, Password);
        var role = (await gateway.Get<IOrielStore>().FindRoleAsync("e2e-users"))!;
        await gateway.Get<RoleService>().SaveAsync(role with { Recordings = RecordingsAccess.Own }, "tests");
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["vnc"], password: VncPassword);
        await using var chromium = await ChromiumBrowser.LaunchAsync();
        var origin = gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#2a6f97", "-cursor_name", "left_ptr");

        // The live session: after each change, once the canvas shows the server's screen, the canvas is sampled.
        var live = await chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await live.NewPageAsync();
        await SignInAsync(page, origin);
        await page.ClickAsync("[data-target-id=\"lab\"] .open-target");
        await page.WaitForSelectorAsync("#desktop[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => { const d = document.querySelector('#desktop').dataset; return Number(d.frames) > 0 && d.desktopSize === d.requestedSize; }",
            null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        var box = (await (await page.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 3, box.Y + box.Height - 3); // the browser draws the pointer from now on

        var moments = new List<Moment> { await SampleLiveAsync(page, xvnc, "first screen") };
        var typed = Path.Combine(xvnc.WorkDirectory, "typed.txt");
        var steps = new (string What, Func<Task> Change)[]
        {
            ("purple root", () => xvnc.RunXCommandAsync("xsetroot", "-solid", "#8f3b76")),
            ("xterm", async () =>
            {
                await xvnc.RunXClientAsync("xterm", "-geometry", "40x8+60+50", "-bg", "#ffeeaa", "-fg", "#202020", "-e", "sh", "-c", $"echo played back; cat > '{typed}'");
                await page.Mouse.MoveAsync(box.X + 150, box.Y + 90); // over the xterm: it has the keyboard (no window manager)
            }),
            ("typed line", async () =>
            {
                await page.Keyboard.TypeAsync("seek me");
                await page.Keyboard.PressAsync("Enter");
            }),
            ("green root", () => xvnc.RunXCommandAsync("xsetroot", "-solid", "#3b8f4e")),
            ("second typed line", async () =>
            {
                await page.Keyboard.TypeAsync("zq7 done");
                await page.Keyboard.PressAsync("Enter");
            }),
        };
        foreach (var (what, change) in steps)
        {
            await Task.Delay(1500);
            await change();
            moments.Add(await SampleLiveAsync(page, xvnc, what, moments[^1]));
        }
        for (var i = 1; i < moments.Count; i++)
        {
            Assert.False(moments[i].Pixels.SequenceEqual(moments[i - 1].Pixels), $"'{moments[i].What}' did not change the sampled screen");
        }
        await Task.Delay(1000);
        await live.CloseAsync();

        // The session ends when the tab closes; its catalog row then leaves the Recording state.
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab");
        var store = gateway.Get<IOrielStore>();
        RecordingRecord? row = null;
        for (var i = 0; i < 200 && row?.Status is null or RecordingStatus.Recording; i++)
        {
            row = await store.GetRecordingAsync(end.SessionId!, CancellationToken.None);
            await Task.Delay(50);
        }
        Assert.NotNull(row);
        Assert.Equal((RecordingStatus.Complete, StreamRecordingHeader.TdpKind), (row.Status, row.Kind));
        var read = StreamRecordingReader.ReadAll(await File.ReadAllBytesAsync(gateway.Get<RecordingPaths>().StreamRecording(row.Id)));
        Assert.True(read.IsComplete);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(read.Header!.StartUnixMilliseconds);
        var durationUs = read.End!.DurationMicroseconds;
        output.WriteLine($"recording {row.Id}: {durationUs / 1e6:F3} s, {row.SizeBytes} bytes, catalog start {row.Started:O}, header start {start:O}");
        Assert.InRange((row.Started - start).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));

        // The player: from the recordings page, then seek to each moment.
        var playerContext = await chromium.NewContextAsync(options: new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1100, Height = 800 },
            AcceptDownloads = true,
        });
        var player = await playerContext.NewPageAsync();
        await SignInAsync(player, origin);
        await player.WaitForSelectorAsync("#nav-recordings:not([hidden])");
        await player.ClickAsync("#nav-recordings");
        await player.WaitForSelectorAsync($"[data-recording-id=\"{row.Id}\"]");
        await player.ClickAsync($"[data-recording-id=\"{row.Id}\"] .open-recording");
        await player.WaitForURLAsync($"**/#/recordings/{row.Id}");
        await player.WaitForSelectorAsync("#player[data-state=\"paused\"][data-seeks=\"1\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });

        foreach (var moment in moments)
        {
            var atMs = (long)Math.Ceiling((moment.At - start).TotalMilliseconds);
            Assert.InRange(atMs * 1000, 0, durationUs);
            // The slider moves in steps of 100 ms: the first step at or after T (the screen stayed unchanged for 1.5 s
            // after T). The frame on the live canvas at T was recorded before T; a later one recorded just before T may
            // not have been drawn yet, so the screen a few hundred milliseconds earlier is accepted too.
            var stepMs = (atMs + 99) / 100 * 100;
            string? problem = null;
            foreach (var tryMs in new[] { stepMs, stepMs - 400 })
            {
                await SeekAsync(player, tryMs);
                problem = await CompareAsync(player, moment);
                if (problem is null) break;
                output.WriteLine($"{moment.What} at {tryMs} ms: {problem}");
            }
            Assert.True(problem is null, $"the player at {atMs} ms does not show the live screen '{moment.What}': {problem}");
        }

        // Export to MP4 from the player, download it as the user would, and measure it with ffprobe.
        await player.SelectOptionAsync("#export-format", "mp4");
        await player.ClickAsync("#export-start");
        await player.WaitForSelectorAsync("#export-download:not([hidden])", new PageWaitForSelectorOptions { Timeout = 120_000 });
        Assert.True(await player.IsHiddenAsync("#export-progress"));
        var download = await player.RunAndWaitForDownloadAsync(() => player.ClickAsync("#export-download"));
        var video = Path.Combine(TestDirs.Create("e2e-export"), "export.mp4");
        await download.SaveAsAsync(video);
        Assert.Null(await download.FailureAsync());
        Assert.Equal(row.Id + ".mp4", download.SuggestedFilename);
        var probe = await ProcessRunner.RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", video);
        Assert.True(probe.ExitCode == 0, probe.StandardError);
        var seconds = double.Parse(probe.StandardOutputText.Trim(), CultureInfo.InvariantCulture);
        output.WriteLine($"video {new FileInfo(video).Length} bytes, {seconds} s");
        Assert.True(Math.Abs(seconds - (durationUs / 1e6)) <= 1.0 / 25, $"the video lasts {seconds} s, the recording {durationUs / 1e6} s");
        await playerContext.CloseAsync();

        // The video shows each moment's root colour (lossy: a tolerance per channel) at that moment.
        foreach (var moment in moments)
        {
            var atSeconds = (moment.At - start).TotalSeconds + 0.1;
            var (x, y) = (RootPoint(moment.Height)[0], RootPoint(moment.Height)[1]);
            var frame = await ProcessRunner.RunAsync("ffmpeg", "-v", "error", "-ss", atSeconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", video,
                "-frames:v", "1", "-vf", $"format=rgb24,crop=1:1:{x}:{y}", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
            Assert.True(frame.ExitCode == 0, frame.StandardError);
            Assert.Equal(3, frame.StandardOutput.Length);
            var rootColour = moment.Pixels[0];
            int[] want = [(int)(rootColour >> 16) & 0xFF, (int)(rootColour >> 8) & 0xFF, (int)rootColour & 0xFF];
            int[] got = [frame.StandardOutput[0], frame.StandardOutput[1], frame.StandardOutput[2]];
            Assert.True(got.Zip(want).All(p => Math.Abs(p.First - p.Second) <= 40),
                $"'{moment.What}' at {atSeconds:0.###} s: video rgb({got[0]},{got[1]},{got[2]}), live rgb({want[0]},{want[1]},{want[2]})");
        }
    }

    /// <summary>A point of the root window, away from the xterm and the pointer: sampled first at every moment.</summary>
    private static int[] RootPoint(int height) => [20, height - 20];

    private static async Task SignInAsync(IPage page, string origin)
    {
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
    }

    /// <summary>
    /// Waits until the live canvas shows the server's screen, changed from <paramref name="previous"/> (X clients take a
    /// moment to draw), then notes the time and samples the canvas.
    /// </summary>
    private static async Task<Moment> SampleLiveAsync(IPage page, XvncServer xvnc, string what, Moment? previous = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var moment = await SampleMatchingLiveAsync(page, xvnc, what);
            if (previous is null || !moment.Pixels.SequenceEqual(previous.Pixels)) return moment;
            Assert.True(attempt < 50, $"'{what}' did not change the sampled screen");
            await Task.Delay(200);
        }
    }

    private static async Task<Moment> SampleMatchingLiveAsync(IPage page, XvncServer xvnc, string what)
    {
        var screen = await CanvasCheck.WaitUntilCanvasMatchesAsync(page, xvnc, "#desktop-canvas");
        var at = DateTimeOffset.UtcNow;
        var points = new List<int[]> { RootPoint(screen.Height) };
        for (var gy = 0; gy < 24; gy++)
        {
            for (var gx = 0; gx < 32; gx++)
            {
                points.Add([gx * (screen.Width - 1) / 31, gy * (screen.Height - 1) / 23]);
            }
        }
        // Densely where the xterm's text is (40x8 cells at +60+50), so that a typed line changes the samples.
        for (var y = 50; y < 200; y += 2)
        {
            for (var x = 60; x < 360; x += 2)
            {
                points.Add([x, y]);
            }
        }
        var (w, h, px) = await SampleCanvasAsync(page, "#desktop-canvas", points);
        return new Moment(what, at, w, h, [.. points], px);
    }

    private static async Task<(int Width, int Height, uint[] Pixels)> SampleCanvasAsync(IPage page, string selector, IReadOnlyList<int[]> points)
    {
        var json = await page.EvaluateAsync<JsonElement>(@"([selector, points]) => {
            const c = document.querySelector(selector);
            const img = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            return { w: c.width, h: c.height, px: points.map(([x, y]) => { const i = (y * c.width + x) * 4; return (img[i] << 16) | (img[i+1] << 8) | img[i+2]; }) };
        }", new object[] { selector, points });
        return (json.GetProperty("w").GetInt32(), json.GetProperty("h").GetInt32(), json.GetProperty("px").EnumerateArray().Select(e => (uint)e.GetInt32()).ToArray());
    }

    /// <summary>Seeks the player as its slider does and waits for the seek to finish.</summary>
    private static async Task SeekAsync(IPage page, long ms)
    {
        var seeks = (await page.GetAttributeAsync("#player", "data-seeks"))!;
        await page.EvaluateAsync(@"(ms) => {
            const input = document.querySelector('#player-seek');
            input.value = String(ms);
            input.dispatchEvent(new Event('change'));
        }", ms);
        await page.WaitForFunctionAsync(@"(seeks) => { const p = document.querySelector('#player'); return p.dataset.seeks !== seeks && p.dataset.state === 'paused'; }",
            seeks, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Equal((ms * 1000).ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#player", "data-position-us"));
    }

    /// <summary>Null when the player's canvas has the moment's size and pixels at its sample points, else what differs.</summary>
    private static async Task<string?> CompareAsync(IPage page, Moment moment)
    {
        var (w, h, px) = await SampleCanvasAsync(page, "#player-canvas", moment.Points);
        if ((w, h) != (moment.Width, moment.Height)) return $"player canvas {w}x{h}, live {moment.Width}x{moment.Height}";
        var bad = moment.Points.Select((p, i) => (p, live: moment.Pixels[i], played: px[i])).Where(t => t.live != t.played).ToList();
        return bad.Count == 0 ? null
            : $"{bad.Count} of {px.Length} samples differ, first at ({bad[0].p[0]},{bad[0].p[1]}): live {bad[0].live:X6}, player {bad[0].played:X6}";
    }
}
