using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oriel.Bench.Desktop;

/// <summary>
/// The comparison table (medians, Oriel/peer and recorded/unrecorded ratios, recording bytes per minute), the
/// per-run table, and the JSON file.
/// </summary>
internal static class Report
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly (string Name, string Better, Func<RunResult, double?> Get)[] s_metrics =
    [
        ("frames/s delivered", "higher", r => r.FramesPerSecond),
        ("bytes/frame (WebSocket payload)", "lower", r => r.BytesPerFrame),
        ("relay CPU-s per 1000 frames", "lower", r => r.RelayCpuPer1000Frames),
        ("relay CPU-s per minute", "lower", r => r.WindowSeconds > 0 ? r.RelayCpuSeconds * 60 / r.WindowSeconds : null),
        ("renderer CPU-s per 1000 frames", "lower", r => r.RendererCpuPer1000Frames),
        ("Xvnc CPU-s per 1000 frames", "lower", r => r.XvncCpuPer1000Frames),
        ("KiB/s received", "lower", r => r.KibPerSecond),
        ("recording bytes/min (window)", "lower", r => r.RecordingBytesPerMinuteInWindow),
        ("recording bytes/min (whole)", "lower", r => r.RecordingBytesPerMinute),
    ];

    public static IReadOnlyList<MetricRow> Compare(IReadOnlyList<RunResult> runs)
    {
        var rows = new List<MetricRow>();
        foreach (var (name, better, get) in s_metrics)
        {
            var peer = Median(runs, CandidateNames.Peer, get);
            var oriel = Median(runs, CandidateNames.Oriel, get);
            var recorded = Median(runs, CandidateNames.OrielRecorded, get);
            rows.Add(new MetricRow(name, better, peer, oriel, recorded, Ratio(oriel, peer), Ratio(recorded, oriel)));
        }
        return rows;
    }

    public static string FormatTables(IReadOnlyList<RunResult> runs, IReadOnlyList<MetricRow> rows)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine();
        sb.AppendLine("Per run (measured window only):");
        sb.AppendLine(inv, $"  {"run",-18} {"window s",8} {"frames",7} {"fps",6} {"B/frame",9} {"KiB/s",8} {"relay cpu",9} {"xvnc cpu",9} {"rndr cpu",9} {"samples/s",9} {"probe ms",8}  load");
        foreach (var r in runs)
        {
            var label = r.Candidate + " #" + r.Index.ToString(inv);
            if (r.Error is not null)
            {
                sb.AppendLine(inv, $"  {label,-18} FAILED: {FirstLine(r.Error)}");
                continue;
            }
            sb.AppendLine(inv,
                $"  {label,-18} {r.WindowSeconds,8:0.0} {r.Frames,7:0} {r.FramesPerSecond,6:0.0} {r.BytesPerFrame,9:0} {r.KibPerSecond,8:0} {r.RelayCpuSeconds,9:0.00} {r.XvncCpuSeconds,9:0.00} {Fmt(r.RendererCpuSeconds, "0.00"),9} {r.SamplesPerSecond,9:0.0} {r.ProbeMsPerSample,8:0.0}  {r.LoadAverage}");
            if (r.RecordingSizeBytes is { } size)
            {
                sb.AppendLine(inv,
                    $"  {"",-18} recording: {Fmt(r.RecordingBytesInWindow, "0")} bytes in the window ({Fmt(r.RecordingBytesPerMinuteInWindow, "0")}/min); whole file {size} bytes over {Fmt(r.RecordingSeconds, "0.0")} s ({Fmt(r.RecordingBytesPerMinute, "0")}/min)");
            }
            if (r.ProbeError.Length > 0) sb.AppendLine(inv, $"            probe error: {r.ProbeError}");
        }
        sb.AppendLine();
        sb.AppendLine("Medians; oriel/peer (peer = websockify + noVNC on the same Xvnc and workload) and recorded/oriel");
        sb.AppendLine("(oriel-recorded = the same gateway recording the session; oriel = recording off):");
        sb.AppendLine(inv, $"  {"metric",-32} {"peer",12} {"oriel",12} {"oriel-recorded",14} {"oriel/peer",11} {"recorded/oriel",14}  better");
        foreach (var row in rows)
        {
            sb.AppendLine(inv,
                $"  {row.Metric,-32} {Fmt(row.Peer, "0.###"),12} {Fmt(row.Oriel, "0.###"),12} {Fmt(row.OrielRecorded, "0.###"),14} {Fmt(row.Ratio, "0.00"),11} {Fmt(row.RecordedRatio, "0.00"),14}  {row.Better}");
        }
        return sb.ToString();
    }

    /// <summary>Writes the results to <c>DIR/&lt;yyyyMMdd-HHmmss&gt;.json</c> and returns the path.</summary>
    public static string WriteJson(BenchOptions options, DateTimeOffset started, IReadOnlyList<RunResult> runs, IReadOnlyList<MetricRow> rows)
    {
        Directory.CreateDirectory(options.ResultsDirectory);
        var path = Path.Combine(options.ResultsDirectory, started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".json");
        var document = new
        {
            benchmark = "desktop-scroll",
            started = started.ToString("o", CultureInfo.InvariantCulture),
            machine = new
            {
                processors = Environment.ProcessorCount,
                clockTicksPerSecond = ProcessCpu.TicksPerSecond,
                os = Environment.OSVersion.VersionString,
            },
            settings = new
            {
                options.WarmupSeconds,
                options.MeasureSeconds,
                options.Repeats,
                options.Only,
                options.LinesPerSecond,
                options.Width,
                options.Height,
                options.GatewayDll,
                options.NoVncDirectory,
            },
            comparison = rows,
            runs,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, s_json) + "\n");
        return path;
    }

    private static double? Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d != 0 ? n / d : null;

    private static double? Median(IReadOnlyList<RunResult> runs, string candidate, Func<RunResult, double?> get)
    {
        var values = runs.Where(r => r.Candidate == candidate && r.Error is null)
            .Select(get).OfType<double>().Where(double.IsFinite).Order().ToList();
        if (values.Count == 0) return null;
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static string Fmt(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string FirstLine(string text)
    {
        var i = text.IndexOf('\n', StringComparison.Ordinal);
        return i < 0 ? text : text[..i];
    }
}
