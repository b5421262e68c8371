using System.Text.Json;
using Microsoft.Playwright;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>Compares a page's canvas with the VNC server's screen (xwd) at a grid of sample points.</summary>
internal static class CanvasCheck
{
    /// <summary>Waits until the canvas has the screen's size and equal pixels at 32x24 sample points; returns that screen.</summary>
    public static async Task<XImage> WaitUntilCanvasMatchesAsync(IPage page, XvncServer xvnc, string canvasSelector, int timeoutSeconds = 20)
    {
        var report = "";
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var screen = await xvnc.CaptureScreenAsync();
            var points = new List<int[]>();
            for (var gy = 0; gy < 24; gy++)
            {
                for (var gx = 0; gx < 32; gx++)
                {
                    points.Add([gx * (screen.Width - 1) / 31, gy * (screen.Height - 1) / 23]);
                }
            }
            var json = await page.EvaluateAsync<JsonElement>(@"([selector, points]) => {
                const c = document.querySelector(selector);
                if (!c) return { w: 0, h: 0, px: [] };
                const img = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                return { w: c.width, h: c.height, px: points.map(([x, y]) => { const i = (y * c.width + x) * 4; return (img[i] << 16) | (img[i+1] << 8) | img[i+2]; }) };
            }", new object[] { canvasSelector, points });
            var w = json.GetProperty("w").GetInt32();
            var h = json.GetProperty("h").GetInt32();
            var px = json.GetProperty("px").EnumerateArray().Select(e => (uint)e.GetInt32()).ToArray();
            if (w != screen.Width || h != screen.Height)
            {
                report = $"canvas {w}x{h} but screen {screen.Width}x{screen.Height}";
            }
            else
            {
                var bad = points.Select((p, i) => (p, expected: screen.At(p[0], p[1]), actual: px[i])).Where(t => t.expected != t.actual).ToList();
                if (bad.Count == 0) return screen;
                report = $"{bad.Count} of {points.Count} samples differ, first at ({bad[0].p[0]},{bad[0].p[1]}): screen {bad[0].expected:X6}, canvas {bad[0].actual:X6}";
            }
            await Task.Delay(250);
        }
        Assert.Fail($"the canvas ({canvasSelector}) never matched the server's screen: {report}");
        return null!;
    }
}
