using System.Globalization;
using Oriel.Bench.Relay;
using Oriel.TestPeers;

// The passthrough relay benchmark: see README.md next to this file.
var inv = CultureInfo.InvariantCulture;
int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], inv) : fallback;
}
if (args.Contains("--help"))
{
    Console.WriteLine("Oriel.Bench.Relay [--mb 256] [--round-trips 2000] [--repeats 3] [--only oriel|websockify]");
    return 0;
}
var megabytes = Option("--mb", 256);
var roundTrips = Option("--round-trips", 2000);
var repeats = Option("--repeats", 3);
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null;
var bytes = megabytes * 1_000_000L;

Console.WriteLine(string.Create(inv, $"Relay benchmark: push {megabytes} MB target→client, {roundTrips} round trips of an 8-byte message, {repeats} repeats each"));
await using var push = new SyntheticRfbTarget(push: true, bytes);
await using var echo = new SyntheticRfbTarget(push: false, 0);
await using var oriel = await OrielRelay.StartAsync(push.Port, echo.Port);
await using var websockify = await WebsockifyRelay.StartAsync(push.Port, echo.Port);

var results = new List<(string Relay, double MBps, double[] RoundTrips)>();
for (var r = 0; r < repeats; r++)
{
    foreach (var name in new[] { "direct", "websockify", "oriel" })
    {
        if (only is not null && name != only && name != "direct") continue;
        double mbps;
        await using (var c = await Connect(name, push: true)) mbps = await c.ReceiveAllAsync(bytes);
        double[] rtts;
        await using (var c = await Connect(name, push: false))
        {
            await c.RoundTripsAsync(Math.Min(200, roundTrips)); // warm-up
            rtts = await c.RoundTripsAsync(roundTrips);
        }
        results.Add((name, mbps, rtts));
        Console.WriteLine(string.Create(inv, $"  {name,-10} #{r + 1}: {mbps,8:0.0} MB/s   round trip median {Percentile(rtts, 50),7:0} µs, p99 {Percentile(rtts, 99),7:0} µs"));
    }
}

Console.WriteLine();
Console.WriteLine("| relay | throughput MB/s (median) | round trip median µs | p99 µs | added latency µs (vs direct) |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
var direct = Summary("direct");
foreach (var name in new[] { "direct", "websockify", "oriel" })
{
    if (!results.Any(x => x.Relay == name)) continue;
    var s = Summary(name);
    Console.WriteLine(string.Create(inv, $"| {name} | {s.MBps:0.0} | {s.Median:0} | {s.P99:0} | {s.Median - direct.Median:0} |"));
}
if (results.Any(x => x.Relay == "oriel") && results.Any(x => x.Relay == "websockify"))
{
    var o = Summary("oriel");
    var w = Summary("websockify");
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"oriel / websockify: throughput ×{o.MBps / w.MBps:0.00}, round trip ×{o.Median / w.Median:0.00}, added latency ×{(o.Median - direct.Median) / Math.Max(1, w.Median - direct.Median):0.00}"));
}
ProcessReaper.KillAll();
return 0;

async Task<RelayClient> Connect(string name, bool push) => name switch
{
    "direct" => await RelayClient.DirectAsync(push ? push_port() : echo_port()),
    "websockify" => await RelayClient.WebSocketAsync(websockify.Uri(push), null, null),
    _ => await RelayClient.WebSocketAsync(oriel.Uri(push), oriel.Cookie, oriel.Origin),
};
int push_port() => push.Port;
int echo_port() => echo.Port;

(double MBps, double Median, double P99) Summary(string name)
{
    var rows = results.Where(x => x.Relay == name).ToList();
    var all = rows.SelectMany(x => x.RoundTrips).ToArray();
    return (Percentile(rows.Select(x => x.MBps).ToArray(), 50), Percentile(all, 50), Percentile(all, 99));
}

static double Percentile(double[] values, double p)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Round(p / 100 * (sorted.Length - 1)))];
}
