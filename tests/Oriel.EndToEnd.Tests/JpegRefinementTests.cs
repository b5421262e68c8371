using System.Text.Json;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A photo-like picture on a real Xvnc goes to the browser as JPEG (TDP 106) first and, once the
/// screen is still, is refined to PNG (27) so the canvas ends exactly equal to the server's screen.
/// </summary>
public sealed class JpegRefinementTests : IAsyncLifetime
{
    private const string User = "dora";
    private const string Password = "dora-password-1";
    private const int PictureWidth = 640;
    private const int PictureHeight = 480;

    private XvncServer _xvnc = null!;
    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        _xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 800, Height = 600 });
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.CreateUserAsync(User, Password, resize: false);
        await _gateway.AddVncTargetAsync("photo", _xvnc.Port, ["none"]);
        await _xvnc.RunXCommandAsync("xsetroot", "-solid", "#202830", "-cursor_name", "left_ptr");
        var picture = Path.Combine(_xvnc.WorkDirectory, "photo.xwd");
        await File.WriteAllBytesAsync(picture, PhotoImage.Xwd(PictureWidth, PictureHeight));
        await _xvnc.RunXClientAsync("xwud", "-in", picture, "-geometry", "+0+0");
        await WaitForPictureAsync();
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
        await _xvnc.DisposeAsync();
    }

    [Fact]
    public async Task PhotoLikeTilesArriveAsJpegAndAreRefinedToPngCoveringThem()
    {
        var cookie = await _gateway.SignInCookieAsync(User, Password);
        await using var client = await TdpTestClient.ConnectAsync(_gateway.BaseAddress, "photo", cookie);
        await client.StartAsync(width: 800, height: 600);
        var firstJpeg = await client.WaitForAsync<JpegFrameMessage>();
        Assert.Equal(0xFF, firstJpeg.Data[0]);
        Assert.Equal(0xD8, firstJpeg.Data[1]); // JPEG SOI

        // Every JPEG area is later covered by PNG frames (lossless refinement after the quiet period).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string missing = "";
        while (DateTime.UtcNow < deadline)
        {
            missing = UnrefinedJpegArea(client.Received);
            if (missing.Length == 0) break;
            await Task.Delay(100);
        }
        Assert.True(missing.Length == 0, $"{missing}; received: {client.Describe()}");
        var jpegs = client.Received.OfType<JpegFrameMessage>().ToList();
        Assert.True(jpegs.Count >= 4, $"expected the picture's inner tiles as JPEG; received: {client.Describe()}");
        // JPEG pays: the photo-like tiles are much smaller than their PNG refinements.
        var jpegBytes = jpegs.Sum(j => (long)j.Data.Length);
        var pngBytes = client.Received.OfType<PngFrame2Message>().Sum(p => (long)p.Data.Length);
        Assert.True(jpegBytes * 2 < pngBytes, $"JPEG {jpegBytes} bytes, PNG {pngBytes} bytes");
    }

    [Fact]
    public async Task TheBrowserDrawsJpegFirstAndEndsWithTheExactScreen()
    {
        var origin = _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        var context = await _chromium.NewContextAsync(grantClipboardTo: origin,
            options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        var warnings = new List<string>();
        page.Console += (_, m) =>
        {
            lock (warnings) warnings.Add(m.Text);
        };
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        await page.ClickAsync("[data-target-id=\"photo\"] .open-target");
        await page.WaitForSelectorAsync("#desktop[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#desktop').dataset.frames) > 0", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        // Move the pointer off the picture: from then on Xvnc stops drawing it into the framebuffer.
        var box = (await (await page.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 3, box.Y + box.Height - 3);

        // The whole canvas, every pixel, equals xwd's capture once the JPEG tiles have been refined.
        string report = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var screen = await _xvnc.CaptureScreenAsync();
            var canvas = await page.EvaluateAsync<JsonElement>(@"() => {
                const c = document.querySelector('#desktop-canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const px = new Array(c.width * c.height);
                for (let i = 0; i < px.length; i++) px[i] = (d[4*i] << 16) | (d[4*i+1] << 8) | d[4*i+2];
                return { w: c.width, h: c.height, px };
            }");
            var w = canvas.GetProperty("w").GetInt32();
            var h = canvas.GetProperty("h").GetInt32();
            if (w == screen.Width && h == screen.Height)
            {
                var pixels = canvas.GetProperty("px").EnumerateArray().Select(e => (uint)e.GetInt32()).ToArray();
                var differences = screen.CountDifferences(pixels, out var first);
                if (differences == 0) break;
                report = $"{differences} pixels differ, first at ({first!.Value.X},{first.Value.Y}): screen {first.Value.Expected:X6}, canvas {first.Value.Actual:X6}";
            }
            else
            {
                report = $"canvas {w}x{h} but screen {screen.Width}x{screen.Height}";
            }
            if (DateTime.UtcNow > deadline) Assert.Fail("canvas never matched the server's screen exactly: " + report);
            await Task.Delay(300);
        }
        lock (warnings)
        {
            Assert.DoesNotContain(warnings, w => w.Contains("desktop update skipped", StringComparison.Ordinal));
        }
    }

    /// <summary>Describes the first JPEG pixel not drawn over by a later PNG frame, or "" when all are.</summary>
    private static string UnrefinedJpegArea(IReadOnlyList<TdpMessage> received)
    {
        var lossy = new bool[800 * 600];
        var any = false;
        foreach (var m in received)
        {
            switch (m)
            {
                case JpegFrameMessage j:
                    Mark(lossy, j.Left, j.Top, j.Right, j.Bottom, true);
                    any = true;
                    break;
                case PngFrame2Message p:
                    Mark(lossy, p.Left, p.Top, p.Right, p.Bottom, false);
                    break;
                case CopyRectMessage:
                    return "a copy rect arrived (not expected for a still picture)";
            }
        }
        if (!any) return "no JPEG frame yet";
        var i = Array.IndexOf(lossy, true);
        return i < 0 ? "" : $"pixel ({i % 800},{i / 800}) still shows JPEG";
    }

    private static void Mark(bool[] map, uint left, uint top, uint right, uint bottom, bool value)
    {
        for (var y = (int)top; y < Math.Min(600, (int)bottom); y++)
        {
            for (var x = (int)left; x < Math.Min(800, (int)right); x++) map[(y * 800) + x] = value;
        }
    }

    /// <summary>Waits until xwud has drawn the picture: a patch of it shows hundreds of colours.</summary>
    private async Task WaitForPictureAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var screen = await _xvnc.CaptureScreenAsync();
            var colours = new HashSet<uint>();
            for (var y = 100; y < 164; y++)
            {
                for (var x = 100; x < 164; x++) colours.Add(screen.At(x, y));
            }
            if (colours.Count > 1000) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("xwud never showed the picture");
    }
}
