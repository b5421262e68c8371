using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Access;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;
using Oriel.Graphics;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.TestPeers;
using Xunit.Abstractions;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// The recording player in a real headless Chromium through the real gateway, on a two-hour tdp recording written
/// here: a 320x240 desktop where one PNG tile (made by Oriel.Graphics.PngEncoder) changes every second and a keyframe
/// (desktop size + the whole screen as one PNG) is written every 5 s. Seeking must draw exactly the screen of that
/// moment, take under a second, and read only bounded byte ranges of the file.
/// </summary>
public sealed class RecordingPlayerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "rita";
    private const string Password = "rita-password-12";
    private const string RecordingId = "0123abcd";
    private const int Width = 320;
    private const int Height = 240;
    private const int Seconds = 2 * 60 * 60;
    private const int KeyframeEverySeconds = 5;

    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;
    private byte[] _file = [];

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.Get<RoleService>().SaveAsync(
            new RoleRecord("auditors", "", [], [], false, false, true, null, false) { Recordings = RecordingsAccess.Own }, "tests");
        var user = (await _gateway.Get<UserService>().CreateAsync(User, Password, isAdmin: false, ["auditors"], mustChangePassword: false, "tests")).User;
        var paths = _gateway.Get<RecordingPaths>();
        paths.EnsureDirectory();
        _file = WriteRecording();
        await File.WriteAllBytesAsync(paths.StreamRecording(RecordingId), _file);
        var started = DateTimeOffset.UtcNow.AddHours(-3);
        await _gateway.Get<IOrielStore>().InsertRecordingAsync(new RecordingRecord(RecordingId, user.Id, User, "lab", "Lab desktop", "vnc",
            StreamRecordingHeader.TdpKind, started, started.AddSeconds(Seconds), Seconds * 1000L, _file.Length, RecordingStatus.Complete, null), CancellationToken.None);
        await _gateway.Get<RoleService>().SaveAsync(new RoleRecord("plain", "", [], [], false, false, true, null, false), "tests");
        await _gateway.Get<UserService>().CreateAsync("nora", "nora-password-12", isAdmin: false, ["plain"], mustChangePassword: false, "tests");
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    /// <summary>The tile second <paramref name="s"/> repaints, and its colour: a function of s only.</summary>
    private static (Rect Area, uint Color) Update(int s) =>
        (new Rect(s * 37 % 9 * 32, s * 53 % 7 * 32, 64, 48), (uint)(((s * 97) & 0xff) << 16 | ((s * 61 + 40) & 0xff) << 8 | ((s / 60 * 11 + 7) & 0xff)));

    /// <summary>The screen after the updates of seconds 0..<paramref name="second"/>.</summary>
    private static Framebuffer ScreenAt(int second)
    {
        var fb = new Framebuffer(Width, Height);
        fb.Fill(new Rect(0, 0, Width, Height), 0x00202020);
        for (var s = 0; s <= second; s++)
        {
            var (area, color) = Update(s);
            fb.Fill(area, color);
        }
        return fb;
    }

    private static byte[] Png(PngEncoder encoder, Framebuffer fb, Rect area)
    {
        var png = new ArrayBufferWriter<byte>();
        encoder.Encode(fb, area, png);
        return png.WrittenSpan.ToArray();
    }

    private static byte[] WriteRecording()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new StreamRecordingWriter(output, new StreamRecordingHeader
        {
            Kind = StreamRecordingHeader.TdpKind,
            SessionId = RecordingId,
            TargetId = "lab",
            User = User,
            StartUnixMilliseconds = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds(),
        });
        var encoder = new PngEncoder();
        var fb = new Framebuffer(Width, Height);
        fb.Fill(new Rect(0, 0, Width, Height), 0x00202020);
        writer.AppendData(StreamDirection.ServerToClient, 0, TdpCodec.Encode(new DesktopSizeMessage(Width, Height))
            .Concat(TdpCodec.Encode(new PngFrame2Message(0, 0, Width, Height, Png(encoder, fb, new Rect(0, 0, Width, Height))))).ToArray());
        for (var s = 0; s < Seconds; s++)
        {
            var t = s * 1_000_000L + 250_000;
            if (s % KeyframeEverySeconds == 0)
            {
                writer.AppendKeyframe(t, [
                    TdpCodec.Encode(new DesktopSizeMessage(Width, Height)),
                    TdpCodec.Encode(new PngFrame2Message(0, 0, Width, Height, Png(encoder, fb, new Rect(0, 0, Width, Height)))),
                ]);
            }
            var (area, color) = Update(s);
            fb.Fill(area, color);
            var tile = new PngFrame2Message((uint)area.X, (uint)area.Y, (uint)(area.X + area.Width), (uint)(area.Y + area.Height), Png(encoder, fb, area));
            writer.AppendData(StreamDirection.ServerToClient, t, TdpCodec.Encode(tile).Concat(TdpCodec.Encode(new FrameMarkerMessage((uint)s + 1))).ToArray());
        }
        writer.Finish(Seconds * 1_000_000L + 500_000);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task SeekingATwoHourRecordingDrawsThatMomentQuicklyFromBoundedRanges()
    {
        var origin = _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 760 } });
        var page = await context.NewPageAsync();
        var ranges = new List<(string? Range, string Url)>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains($"/api/recordings/{RecordingId}/tdp", StringComparison.Ordinal))
            {
                lock (ranges)
                {
                    ranges.Add((request.Headers.TryGetValue("range", out var range) ? range : null, request.Url));
                }
            }
        };
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        await page.WaitForSelectorAsync("#nav-recordings:not([hidden])");
        await page.ClickAsync("#nav-recordings");
        await page.WaitForSelectorAsync($"[data-recording-id=\"{RecordingId}\"]");
        Assert.Contains("2:00:00", await page.TextContentAsync($"[data-recording-id=\"{RecordingId}\"]"), StringComparison.Ordinal);
        await page.ClickAsync($"[data-recording-id=\"{RecordingId}\"] .open-recording");
        await page.WaitForSelectorAsync("#player[data-state=\"paused\"][data-seeks=\"1\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.Equal($"{Width}x{Height}", await page.GetAttributeAsync("#player", "data-desktop-size"));
        // At 0 only the first ServerData record (size and background) is drawn: the first tile comes at 0.25 s.
        await ExpectScreenAsync(page, -1);

        // Seek to 1:23:17.6, between the tiles of seconds 4997 (at 4997.25 s) and 4998; the keyframe before it is at 4995.25 s.
        const int second = 4997;
        const long targetMs = second * 1000L + 600;
        int before;
        lock (ranges)
        {
            before = ranges.Count;
        }
        var elapsedMs = await page.EvaluateAsync<double>(@"(ms) => new Promise((resolve) => {
            const player = document.querySelector('#player');
            const seeks = player.dataset.seeks;
            const input = document.querySelector('#player-seek');
            const started = performance.now();
            const observer = new MutationObserver(() => {
                if (player.dataset.seeks !== seeks && player.dataset.state === 'paused') {
                    observer.disconnect();
                    resolve(performance.now() - started);
                }
            });
            observer.observe(player, { attributes: true });
            input.value = String(ms);
            input.dispatchEvent(new Event('change'));
        })", targetMs);
        Assert.Equal((targetMs * 1000).ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#player", "data-position-us"));
        await ExpectScreenAsync(page, second);
        Assert.True(elapsedMs < 1000, $"the seek took {elapsedMs:F0} ms");

        List<(string? Range, string Url)> seekRanges;
        lock (ranges)
        {
            seekRanges = ranges.Skip(before).ToList();
        }
        Assert.NotEmpty(seekRanges);
        Assert.All(seekRanges, r => Assert.NotNull(r.Range));
        var spans = seekRanges.Select(r => ParseRange(r.Range!)).ToList();
        var index = StreamRecordingReader.ReadAll(_file).End!.Index;
        var sync = index.Last(p => p.TimeMicroseconds <= targetMs * 1000);
        Assert.Equal(4995_250_000, sync.TimeMicroseconds);
        Assert.Equal(sync.FileOffset, spans[0].From);
        var fetched = spans.Sum(s => s.To - s.From + 1);
        output.WriteLine($"seek to {targetMs} ms: {elapsedMs:F0} ms in the browser, {spans.Count} range requests, {fetched} of {_file.Length} bytes");
        // Bounded: chunks of at most 256 KiB from the keyframe's offset, whatever the recording's length.
        Assert.All(spans, s => Assert.InRange(s.To - s.From + 1, 1, 256 * 1024));
        Assert.True(fetched <= 512 * 1024, $"the seek fetched {fetched} bytes in {spans.Count} requests");
        Assert.True(_file.Length > 4 * fetched, $"the file is {_file.Length} bytes, the seek fetched {fetched}");

        // Play from there at 16x for a few recorded seconds, pause: the canvas shows a screen of those seconds (the
        // last tile due may still be on its way when the pause comes: one second of slack).
        await page.SelectOptionAsync("#player-speed", "16");
        await page.ClickAsync("#player-play");
        await page.WaitForSelectorAsync("#player[data-state=\"playing\"]");
        await page.WaitForFunctionAsync("(us) => Number(document.querySelector('#player').dataset.positionUs) >= us", (targetMs + 4000) * 1000);
        await page.ClickAsync("#player-play");
        await page.WaitForSelectorAsync("#player[data-state=\"paused\"]");
        var pausedUs = long.Parse((await page.GetAttributeAsync("#player", "data-position-us"))!, CultureInfo.InvariantCulture);
        var lastDue = (int)((pausedUs - 250_000) / 1_000_000);
        Assert.InRange(lastDue, second + 4, second + 30);
        await ExpectOneOfScreensAsync(page, lastDue - 1, lastDue);
    }

    [Fact]
    public async Task AUserWithoutRecordingsAccessSeesNoRecordingsLinkAndCannotOpenOne()
    {
        var origin = _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var context = await _chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", "nora");
        await page.FillAsync("#password", "nora-password-12");
        await page.ClickAsync("#signin");
        await page.WaitForSelectorAsync("#signout");
        Assert.True(await page.IsHiddenAsync("#nav-recordings"));
        await page.GotoAsync(origin + $"/#/recordings/{RecordingId}");
        await page.WaitForSelectorAsync("#player[data-state=\"error\"]");
        Assert.Contains("may not see recordings", await page.TextContentAsync("#player-status"), StringComparison.Ordinal);
    }

    /// <summary>Like <see cref="ExpectScreenAsync"/>, passing when the canvas shows either second's screen.</summary>
    private static async Task ExpectOneOfScreensAsync(IPage page, int earlier, int later)
    {
        try
        {
            await ExpectScreenAsync(page, later);
        }
        catch (Xunit.Sdk.XunitException)
        {
            await ExpectScreenAsync(page, earlier);
        }
    }

    private static (long From, long To) ParseRange(string header)
    {
        var m = System.Text.RegularExpressions.Regex.Match(header, @"^bytes=(\d+)-(\d+)$");
        Assert.True(m.Success, "not a bounded range: " + header);
        return (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Compares the player's canvas with <see cref="ScreenAt"/> at every 8th pixel each way.</summary>
    private static async Task ExpectScreenAsync(IPage page, int second)
    {
        var expected = ScreenAt(second);
        var json = await page.EvaluateAsync<JsonElement>(@"() => {
            const c = document.querySelector('#player-canvas');
            const img = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const px = [];
            for (let y = 0; y < c.height; y += 8) for (let x = 0; x < c.width; x += 8) { const i = (y * c.width + x) * 4; px.push((img[i] << 16) | (img[i+1] << 8) | img[i+2]); }
            return { w: c.width, h: c.height, px };
        }");
        Assert.Equal(Width, json.GetProperty("w").GetInt32());
        Assert.Equal(Height, json.GetProperty("h").GetInt32());
        var px = json.GetProperty("px").EnumerateArray().Select(e => (uint)e.GetInt32()).ToArray();
        var k = 0;
        var bad = new List<string>();
        for (var y = 0; y < Height; y += 8)
        {
            for (var x = 0; x < Width; x += 8)
            {
                var want = expected.Row(y)[x] & 0xFFFFFF;
                if (px[k] != want) bad.Add($"({x},{y}) canvas {px[k]:X6} expected {want:X6}");
                k++;
            }
        }
        Assert.True(bad.Count == 0, $"{bad.Count} of {k} samples differ from second {second}'s screen: {string.Join("; ", bad.Take(5))}");
    }
}
