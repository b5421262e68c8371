using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oriel.Bench.Ssh;

/// <summary>The SSH benchmark's console tables and its JSON file.</summary>
internal static class SshReport
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The per-run table and the comparison.</summary>
    public static string FormatThroughput(IReadOnlyList<ThroughputRun> runs, ThroughputSummary summary)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("Throughput, per run (MB = 10^6 bytes, GiB = 2^30 bytes):");
        sb.AppendLine(s_inv, $"  {"run",-9} {"seconds",8} {"MB/s",8} {"client cpu",10} {"ssh setup",9} {"gw cpu",7} {"gw cpu/GiB",10} {"gw rss MiB",10} {"gw peak",8} {"threads",7} {"to exit",7}  load");
        foreach (var r in runs)
        {
            var label = r.Side + " #" + r.Index.ToString(s_inv);
            if (r.Error is not null)
            {
                sb.AppendLine(s_inv, $"  {label,-9} FAILED: {r.Error}");
                continue;
            }
            sb.AppendLine(s_inv,
                $"  {label,-9} {r.Seconds,8:0.00} {r.MegabytesPerSecond,8:0.0} {r.ClientCpuSeconds,10:0.00} {Fmt(r.SshSetupSeconds, "0.00"),9} {Fmt(r.GatewayCpuSeconds, "0.00"),7} {Fmt(r.GatewayCpuSecondsPerGib, "0.00"),10} {Fmt(r.GatewayRssBeforeMib, "0"),10} {Fmt(r.GatewayPeakRssMib, "0"),8} {Fmt(r.GatewayThreads, "0"),7} {Fmt(r.SecondsToExit, "0.00"),7}  {r.LoadAverage}");
            if (r.ReceivedBytes is { } received)
            {
                sb.AppendLine(s_inv,
                    $"  {"",-9} received {received} output bytes in {r.OutputMessages} messages, {r.ReceivedNulBytes} of them NUL (payload {r.PayloadBytes}: {(r.ReceivedNulBytes == r.PayloadBytes ? "all arrived" : "MISMATCH")}); peak from {r.PeakSource}");
            }
        }
        sb.AppendLine();
        sb.AppendLine("Throughput, median [lowest – highest] over the runs:");
        sb.AppendLine(s_inv, $"  {"ssh -tt to /dev/null, MB/s",-40} {Fmt(summary.SshMegabytesPerSecond, "0.0")}");
        sb.AppendLine(s_inv, $"  {"Oriel to the TDP client, MB/s",-40} {Fmt(summary.OrielMegabytesPerSecond, "0.0")}");
        sb.AppendLine(s_inv,
            $"  {"Oriel ÷ ssh (medians)",-40} {Fmt(summary.RatioOfMedians, "0.00")}x   (goal ≥ {ThroughputSummary.Goal:0.0}x: {Verdict(summary.RatioOfMedians)})");
        sb.AppendLine(s_inv, $"  {"Oriel ÷ ssh, round by round",-40} {Fmt(summary.RoundRatios, "0.00")}");
        sb.AppendLine(s_inv, $"  {"gateway CPU-s per GiB",-40} {Fmt(summary.GatewayCpuSecondsPerGib, "0.00")}");
        sb.AppendLine(s_inv, $"  {"gateway RSS at the prompt, MiB",-40} {Fmt(summary.GatewayRssBeforeMib, "0")}");
        sb.AppendLine(s_inv, $"  {"gateway peak RSS during the run, MiB",-40} {Fmt(summary.GatewayPeakRssMib, "0")}");
        sb.AppendLine(s_inv, $"  {"ssh client CPU-s per GiB",-40} {Fmt(summary.SshClientCpuSecondsPerGib, "0.00")}");
        sb.AppendLine(s_inv, $"  {"TDP client (this process) CPU-s per GiB",-40} {Fmt(summary.OrielClientCpuSecondsPerGib, "0.00")}");
        sb.AppendLine(s_inv, $"  {"ssh setup (ssh ... true), s, not counted",-40} {Fmt(summary.SshSetupSeconds, "0.00")}");
        return sb.ToString();
    }

    public static string FormatIdle(IdleResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(s_inv, $"Idle sessions: {r.Opened} of {r.Requested} opened through the gateway and idle at their prompts (opened in {r.OpenSeconds:0.0} s; the gateway listed {Fmt(r.LiveSessionsListed, "0")} live):");
        foreach (var e in r.Errors) sb.AppendLine("  error: " + e);
        if (r.GatewayBefore is { } gb && r.GatewayAfter is { } ga)
        {
            sb.AppendLine(s_inv, $"  {"",-30} {"before",10} {"after",10} {"per session",12}");
            sb.AppendLine(s_inv, $"  {"gateway RSS, MiB",-30} {gb.RssKib / 1024.0,10:0.0} {ga.RssKib / 1024.0,10:0.0} {Fmt(r.GatewayRssKibPerSession / 1024.0, "0.000"),12}");
            sb.AppendLine(s_inv, $"  {"gateway threads",-30} {gb.Threads,10} {ga.Threads,10} {Fmt(r.GatewayThreadsPerSession, "0.00"),12}");
        }
        if (r.SshdBefore is { } sb0 && r.SshdAfter is { } sa)
        {
            sb.AppendLine(s_inv, $"  {"sshd side: processes",-30} {sb0.Processes,10} {sa.Processes,10} {Fmt(r.SshdProcessesPerSession, "0.00"),12}");
            sb.AppendLine(s_inv, $"  {"sshd side: threads",-30} {sb0.Threads,10} {sa.Threads,10} {Fmt(r.SshdThreadsPerSession, "0.00"),12}");
            sb.AppendLine(s_inv, $"  {"sshd side: RSS sum, MiB",-30} {sb0.RssKib / 1024.0,10:0.0} {sa.RssKib / 1024.0,10:0.0} {Fmt(r.SshdRssKibPerSession / 1024.0, "0.000"),12}");
            sb.AppendLine(s_inv, $"  {"sshd side: Pss sum, MiB",-30} {sb0.PssKib / 1024.0,10:0.0} {sa.PssKib / 1024.0,10:0.0} {Fmt(r.SshdPssKibPerSession / 1024.0, "0.000"),12}");
        }
        return sb.ToString();
    }

    /// <summary>Writes settings, every run, the summary and the idle part to RESULTS/ssh-yyyyMMdd-HHmmss.json; returns the path.</summary>
    public static string WriteJson(SshBenchOptions options, DateTimeOffset started, string machine, IReadOnlyList<ThroughputRun> runs, ThroughputSummary? summary, IdleResult? idle)
    {
        Directory.CreateDirectory(options.ResultsDirectory);
        var path = Path.Combine(options.ResultsDirectory, "ssh-" + started.ToString("yyyyMMdd-HHmmss", s_inv) + ".json");
        var document = new
        {
            started,
            machine,
            settings = new { options.Repeats, options.Bytes, options.IdleSessions, options.Cipher, options.OpenParallel, options.GatewayEnvironment, parts = options.OnlyParts, sides = options.OnlySides },
            runs,
            summary,
            idle = idle is null ? null : new
            {
                idle.Requested,
                idle.Opened,
                idle.Errors,
                idle.OpenSeconds,
                idle.LiveSessionsListed,
                idle.GatewayBefore,
                idle.GatewayAfter,
                idle.SshdBefore,
                idle.SshdAfter,
                idle.GatewayRssKibPerSession,
                idle.GatewayThreadsPerSession,
                idle.SshdRssKibPerSession,
                idle.SshdPssKibPerSession,
                idle.SshdProcessesPerSession,
                idle.SshdThreadsPerSession,
            },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, s_json));
        return path;
    }

    /// <summary>"met", "not met" or "not measured" for a ratio against <see cref="ThroughputSummary.Goal"/>.</summary>
    internal static string Verdict(double? ratio) => ratio is not { } r ? "not measured" : r >= ThroughputSummary.Goal ? "met" : "not met";

    internal static string Fmt(Spread? s, string format) =>
        s is null ? "–" : s.Count == 1
            ? s.Median.ToString(format, s_inv)
            : $"{s.Median.ToString(format, s_inv)} [{s.Min.ToString(format, s_inv)} – {s.Max.ToString(format, s_inv)}]";

    private static string Fmt(double? value, string format) => value is { } v ? v.ToString(format, s_inv) : "–";

    private static string Fmt(int? value, string format) => value is { } v ? v.ToString(format, s_inv) : "–";
}
