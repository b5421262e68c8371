using System.Text.Json;
using Microsoft.Playwright;

namespace Oriel.Bench.Desktop;

/// <summary>
/// Chromium's own per-process CPU time, from the DevTools method <c>SystemInfo.getProcessInfo</c>
/// over a browser-level CDP session (no process-tree walking).
/// </summary>
internal sealed class BrowserCpu
{
    private readonly ICDPSession _session;

    private BrowserCpu(ICDPSession session) => _session = session;

    public static async Task<BrowserCpu> OpenAsync(IBrowser browser) =>
        new(await browser.NewBrowserCDPSessionAsync().ConfigureAwait(false));

    /// <summary>Cumulative CPU seconds of the renderer processes and of all browser processes.</summary>
    public async Task<(double Renderer, double Total)> SampleAsync()
    {
        var result = await _session.SendAsync("SystemInfo.getProcessInfo").ConfigureAwait(false);
        double renderer = 0, total = 0;
        if (result is { } json && json.TryGetProperty("processInfo", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var p in list.EnumerateArray())
            {
                var cpu = p.TryGetProperty("cpuTime", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : 0;
                total += cpu;
                if (p.TryGetProperty("type", out var t) && t.GetString() == "renderer") renderer += cpu;
            }
        }
        return (renderer, total);
    }
}
