using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;
using Oriel.Graphics.TurboJpeg;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.TestPeers;
using Oriel.Testing;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// Recordings of rendered sessions, end to end: headless Chromium through the real gateway to Xvnc. The recording of a
/// session plays back (linearly, and from each keyframe as a seeking player would) to the pixels the live screen showed;
/// a session whose role requires recording ends, with its reason on the user's screen, when the recordings disk fills up,
/// and leaves a file that reads to its last complete record.
/// </summary>
public sealed class RecordingTests
{
    private const string User = "rita";
    private const string Password = "rita-password-1";
    private const string VncPassword = "vncpw123";

    [Fact]
    public async Task ARenderedSessionIsRecorded_AndItsRecordingPlaysBackTheScreenTheUserSaw()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 800, Height = 600, Security = [XvncSecurity.VncAuth], VncPassword = VncPassword });
        await using var gateway = await GatewayUnderTest.StartAsync(withWebClient: true, configure: o => o.RecordingKeyframeInterval = TimeSpan.FromSeconds(1));
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["vnc"], password: VncPassword);
        await using var chromium = await ChromiumBrowser.LaunchAsync();

        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#2a6f97", "-cursor_name", "left_ptr");
        var typed = Path.Combine(xvnc.WorkDirectory, "typed.txt");
        await xvnc.RunXClientAsync("xterm", "-geometry", "40x8+60+50", "-bg", "#ffeeaa", "-fg", "#202020", "-e", "sh", "-c", $"echo recorded session; cat > '{typed}'");
        await Task.Delay(500);

        var page = await OpenDesktopAsync(chromium, gateway);
        var seen = new List<(DateTimeOffset At, XImage Screen)>();
        seen.Add((DateTimeOffset.UtcNow, await CanvasCheck.WaitUntilCanvasMatchesAsync(page, xvnc, "#desktop-canvas")));
        foreach (var colour in new[] { "#8f3b76", "#3b8f4e" })
        {
            await Task.Delay(1200); // past the keyframe interval: the change brings a keyframe
            await xvnc.RunXCommandAsync("xsetroot", "-solid", colour);
            var screen = await CanvasCheck.WaitUntilCanvasMatchesAsync(page, xvnc, "#desktop-canvas");
            seen.Add((DateTimeOffset.UtcNow, screen));
        }

        // Typing into the xterm: the recording keeps the key timing, not the keys (the role's default, redacted).
        var canvas = (await (await page.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(canvas.X + 150, canvas.Y + 90);
        await page.Keyboard.TypeAsync("zq7");
        await page.Keyboard.PressAsync("Enter");
        await WaitForFileTextAsync(typed, "zq7\n");
        seen.Add((DateTimeOffset.UtcNow, await CanvasCheck.WaitUntilCanvasMatchesAsync(page, xvnc, "#desktop-canvas")));
        await page.Context.CloseAsync();

        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab");
        var row = (await gateway.Get<IOrielStore>().GetRecordingAsync(end.SessionId!, CancellationToken.None))!;
        var path = gateway.Get<RecordingPaths>().StreamRecording(row.Id);
        Assert.Equal(Path.GetFileName(path), end.Details!["recording"]!.GetValue<string>());
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal((RecordingStatus.Complete, "tdp", "lab", User, (long)bytes.Length), (row.Status, row.Kind, row.TargetId, row.UserName, row.SizeBytes));
        Assert.Null(row.Problem);
        // The session ran at least from the first screen the page showed to the last (its length depends on how fast
        // the steps above ran, so it is compared with what was measured here, not with a fixed figure).
        var watchedMs = (long)(seen[^1].At - seen[0].At).TotalMilliseconds;
        Assert.True(row.DurationMs >= watchedMs, $"recorded {row.DurationMs} ms, watched for {watchedMs} ms");

        var read = StreamRecordingReader.ReadAll(bytes);
        Assert.True(read.IsComplete);
        Assert.Equal((User, "lab", row.Id), (read.Header!.User, read.Header.TargetId, read.Header.SessionId));
        using var jpeg = TurboJpegLibrary.TryCreateCodec();
        Action<byte[], int, int, uint[]>? decodeJpeg = jpeg is null ? null : (data, w, h, pixels) => jpeg.Decode(data, w, h, pixels);

        // At each moment the user's canvas matched the server's screen, the recording played up to then shows that screen.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(read.Header.StartUnixMilliseconds);
        foreach (var (at, screen) in seen)
        {
            var upTo = (long)(at - start).TotalMicroseconds;
            var played = TdpTestPlayer.PlayLinear(read.Records.Where(r => r.TimeMicroseconds <= upTo).ToList(), decodeJpeg);
            AssertShows(screen, played, $"linear play up to {upTo} us");
        }

        // Seeking: from every keyframe, the keyframe and what follows end on the last screen; each keyframe alone is a whole screen.
        var starts = TdpTestPlayer.KeyframeStarts(read.Records);
        Assert.True(starts.Count >= 3, $"{starts.Count} keyframes");
        Assert.Equal(starts.Select(i => read.Records[i].FileOffset), read.End!.Index.Select(p => p.FileOffset));
        var last = seen[^1].Screen;
        foreach (var s in starts)
        {
            AssertShows(last, TdpTestPlayer.PlayFromKeyframe(read.Records, s, jpeg: decodeJpeg), $"play from the keyframe at {read.Records[s].TimeMicroseconds} us");
            var next = s + 1;
            while (read.Records[next].Kind == StreamRecordKind.Keyframe) next++;
            var alone = TdpTestPlayer.PlayFromKeyframe(read.Records, s, endIndex: next, jpeg: decodeJpeg);
            var size = read.Records.Take(s).Where(r => r.Kind == StreamRecordKind.ServerData).Select(r => TdpCodec.Decode(r.Payload.Span)).OfType<DesktopSizeMessage>().Last();
            Assert.Equal(((int)size.Width, (int)size.Height), (alone.Width, alone.Height)); // the size the browser had then
        }
        var timeline = RecordingTimeline.FromFile(bytes);
        Assert.Equal(starts.Count, timeline.SyncPoints.Count);

        // Input: pointer events, and key presses and releases with the key's identity zeroed; the typed text is nowhere.
        var input = read.Records.Where(r => r.Kind == StreamRecordKind.ClientData).Select(r => TdpCodec.Decode(r.Payload.Span)).ToList();
        Assert.Contains(input, m => m is MouseMoveMessage);
        var keys = input.OfType<KeysymInputMessage>().ToList();
        Assert.True(keys.Count >= 8, $"{keys.Count} key events"); // z q 7 Enter, down and up
        Assert.All(keys, k => Assert.Equal((0u, 0u), (k.Keysym, k.KeyCode)));
        Assert.DoesNotContain(input, m => m is FrameAckMessage or ClientScreenSpecMessage);
        Assert.Contains("\"recordInput\":\"redacted\"", read.Header.Metadata, StringComparison.Ordinal);
    }

    [TmpfsFact]
    public async Task ARequiredRecording_OnAFullDisk_EndsTheSessionWithItsReason_AndLeavesAReadableFile()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 800, Height = 600 });
        await using var gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await gateway.CreateUserAsync(User, Password, resize: false);
        var role = (await gateway.Get<IOrielStore>().FindRoleAsync("e2e-users"))!;
        await gateway.Get<RoleService>().SaveAsync(role with { Recording = RecordingMode.Required }, "tests");
        await gateway.AddVncTargetAsync("photo", xvnc.Port, ["none"]);
        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#202830", "-cursor_name", "left_ptr");
        var picture = Path.Combine(xvnc.WorkDirectory, "photo.xwd");
        await File.WriteAllBytesAsync(picture, PhotoImage.Xwd(640, 480)); // far more than 256 KiB as PNG
        await xvnc.RunXClientAsync("xwud", "-in", picture, "-geometry", "+0+0");
        await Task.Delay(1000);
        await using var chromium = await ChromiumBrowser.LaunchAsync();

        var recordingsDir = gateway.Get<RecordingPaths>().Directory;
        await using (await TmpfsMount.MountAsync(recordingsDir, "256k"))
        {
            var origin = gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
            var context = await chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
            var page = await context.NewPageAsync();
            await SignInAsync(page, origin);
            await page.ClickAsync("[data-target-id=\"photo\"] .open-target");
            await page.WaitForSelectorAsync("#desktop[data-state=\"error\"]", new PageWaitForSelectorOptions { Timeout = 30_000 });
            var reason = await page.TextContentAsync("#desktop-overlay-reason");
            Assert.Contains("the recording could not be written (disk full); this target requires recording", reason, StringComparison.Ordinal);
            await context.CloseAsync();

            var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "photo");
            Assert.Equal("recording-failed", end.Details!["reason"]!.GetValue<string>());
            Assert.Equal("disk full", end.Details["recordingProblem"]!.GetValue<string>());
            var failed = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.SessionId == end.SessionId, AuditKinds.RecordingFailed);
            Assert.Equal("session ended", failed.Details!["consequence"]!.GetValue<string>());

            var row = (await gateway.Get<IOrielStore>().GetRecordingAsync(end.SessionId!, CancellationToken.None))!;
            Assert.Equal((RecordingStatus.Incomplete, "disk full"), (row.Status, row.Problem));
            var bytes = await File.ReadAllBytesAsync(gateway.Get<RecordingPaths>().StreamRecording(row.Id));
            Assert.Equal(row.SizeBytes, bytes.Length);
            var read = StreamRecordingReader.ReadAll(bytes, StreamRecordingReadMode.Tolerant);
            Assert.Null(read.Error); // cut back to its last complete record
            Assert.Equal(bytes.Length, read.ValidLength);
            Assert.Equal(("tdp", row.Id), (read.Header!.Kind, read.Header.SessionId));
            Assert.Contains("\"recordingRequired\":true", read.Header.Metadata, StringComparison.Ordinal);
            Assert.Contains(read.Records, r => r.Kind == StreamRecordKind.SessionStart);
        }
    }

    [TmpfsFact]
    public async Task ARequiredRecording_ThatCannotBeOpened_RefusesTheSessionWithItsReason()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 640, Height = 480 });
        await using var gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await gateway.CreateUserAsync(User, Password, resize: false);
        var role = (await gateway.Get<IOrielStore>().FindRoleAsync("e2e-users"))!;
        await gateway.Get<RoleService>().SaveAsync(role with { Recording = RecordingMode.Required }, "tests");
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["none"]);
        await using var chromium = await ChromiumBrowser.LaunchAsync();

        var recordingsDir = gateway.Get<RecordingPaths>().Directory;
        await using (await TmpfsMount.MountAsync(recordingsDir, "4k"))
        {
            try
            {
                await File.WriteAllBytesAsync(Path.Combine(recordingsDir, "filler"), new byte[64 * 1024]); // fills the disk, then fails
            }
            catch (IOException)
            {
            }
            var origin = gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
            var context = await chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 800, Height = 600 } });
            var page = await context.NewPageAsync();
            await SignInAsync(page, origin);
            await page.ClickAsync("[data-target-id=\"lab\"] .open-target");
            await page.WaitForSelectorAsync("#desktop[data-state=\"error\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
            var reason = await page.TextContentAsync("#desktop-overlay-reason");
            Assert.Contains("the recording could not be opened (disk full); this target requires recording", reason, StringComparison.Ordinal);
            await context.CloseAsync();

            var denied = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab", AuditKinds.SessionDenied);
            Assert.Contains("this target requires recording", denied.Details!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
            var failed = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab", AuditKinds.RecordingFailed);
            Assert.Equal(("opening", "session refused"), (failed.Details!["when"]!.GetValue<string>(), failed.Details["consequence"]!.GetValue<string>()));
            Assert.Empty(await gateway.AuditAsync(AuditKinds.SessionStart));
            Assert.Empty(await gateway.Get<IOrielStore>().ListRecordingsAsync(new RecordingQuery(), CancellationToken.None));
            Assert.Equal(["filler"], Directory.GetFiles(recordingsDir).Select(Path.GetFileName));
        }
    }

    private static void AssertShows(XImage screen, TdpTestPlayer played, string what)
    {
        Assert.True((played.Width, played.Height) == (screen.Width, screen.Height), $"{what}: canvas {played.Width}x{played.Height}, screen {screen.Width}x{screen.Height}");
        var bad = new List<string>();
        for (var gy = 0; gy < 24; gy++)
        {
            for (var gx = 0; gx < 32; gx++)
            {
                int x = gx * (screen.Width - 1) / 31, y = gy * (screen.Height - 1) / 23;
                if (screen.At(x, y) != played.At(x, y)) bad.Add($"({x},{y}) screen {screen.At(x, y):X6} played {played.At(x, y):X6}");
            }
        }
        Assert.True(bad.Count == 0, $"{what}: {bad.Count} of 768 samples differ, first {bad.FirstOrDefault()}");
    }

    private static async Task SignInAsync(IPage page, string origin)
    {
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
    }

    private static async Task<IPage> OpenDesktopAsync(ChromiumBrowser chromium, GatewayUnderTest gateway)
    {
        var origin = gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        var context = await chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        await SignInAsync(page, origin);
        await page.ClickAsync("[data-target-id=\"lab\"] .open-target");
        await page.WaitForSelectorAsync("#desktop[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#desktop').dataset.frames) > 0", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => { const d = document.querySelector('#desktop').dataset; return d.desktopSize === d.requestedSize; }", null,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
        // Xvnc draws the pointer into its framebuffer until a client moves it; then the browser draws it (and xwd shows none).
        var box = (await (await page.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 3, box.Y + box.Height - 3);
        return page;
    }

    private static async Task WaitForFileTextAsync(string path, string expected)
    {
        var text = "";
        for (var i = 0; i < 75; i++)
        {
            text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            if (text == expected) return;
            await Task.Delay(200);
        }
        Assert.Fail($"the xterm got '{text}', not '{expected}'");
    }
}
