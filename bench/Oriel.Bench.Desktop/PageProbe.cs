using System.Text.Json;
using Microsoft.Playwright;

namespace Oriel.Bench.Desktop;

/// <summary>Installs PageProbe.js (the same for both clients) and reads its counters.</summary>
internal static class PageProbe
{
    private static readonly Lazy<string> s_script = new(() =>
    {
        using var stream = typeof(PageProbe).Assembly.GetManifestResourceStream("Oriel.Bench.Desktop.PageProbe.js")
            ?? throw new InvalidOperationException("PageProbe.js is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Adds the probe to every page of <paramref name="context"/>, before the page's own scripts.</summary>
    public static Task InstallAsync(IBrowserContext context) => context.AddInitScriptAsync(s_script.Value);

    /// <summary>Starts counting distinct states of the canvas matching <paramref name="canvasSelector"/>.</summary>
    public static Task StartSamplingAsync(IPage page, string canvasSelector) =>
        page.EvaluateAsync("selector => window.__bench.start(selector)", canvasSelector);

    public static async Task<ProbeSnapshot> SnapshotAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("() => window.__bench.snapshot()").ConfigureAwait(false);
        double Number(string name) => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
        string Text(string name) => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
        return new ProbeSnapshot(
            Number("bytes"), Number("messages"), Number("sockets"), Text("extensions"),
            Number("frames"), Number("ticks"), Number("sampleMs"), Text("canvasSize"), Number("nowMs"), Text("error"));
    }
}
