using System.Globalization;
using Oriel.Bench.Ssh;
using Oriel.TestPeers;

// The Oriel SSH benchmark: see bench/README.md, "bench/run-ssh".
SshBenchOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(SshBenchOptions.Usage);
        return 0;
    }
    options = SshBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("error: " + e.Message + "\n\n" + SshBenchOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the `await using` blocks stop the gateway and sshd.
    e.Cancel = true;
    cancel.Cancel();
};

await ProcFs.InitialiseAsync();
var inv = CultureInfo.InvariantCulture;
var started = DateTimeOffset.Now;
var machine = Machine();
var order = options.RunOrder();
var gatewayEnvironment = options.GatewayEnvironment.Count > 0
    ? "; gateway environment: " + string.Join(" ", options.GatewayEnvironment.Select(kv => kv.Key + "=" + kv.Value))
    : "";
Console.WriteLine(string.Create(inv,
    $"Oriel SSH benchmark on {machine}; payload {options.Bytes} bytes (head -c N /dev/zero in a pty); " +
    $"cipher {options.Cipher ?? "sshd's default list"}; runs: {(order.Count > 0 ? string.Join(", ", order) : "none")}; " +
    $"idle sessions: {(options.RunsIdle ? options.IdleSessions.ToString(inv) : "skipped")}{gatewayEnvironment}"));

var runs = new List<ThroughputRun>();
ThroughputSummary? summary = null;
IdleResult? idle = null;
var failed = false;
try
{
    // One sshd for every run of both sides. Compression off: zlib would shrink a stream of NULs to almost nothing for
    // whichever client negotiated it. A single cipher, when given, makes both clients use the same one.
    var extra = new List<string> { "Compression=no" };
    await using var sshd = await SshdServer.StartAsync(new SshdOptions { Ciphers = options.Cipher, LogLevel = "INFO", ExtraOptions = extra });
    var key = await sshd.CreateClientKeyAsync();
    var ssh = new OpenSshClient(sshd, key, sshd.WriteKnownHostsFile());
    string? data = null;
    if (options.NeedsGateway)
    {
        Console.WriteLine("configuring the gateway's data directory (oriel targets add / roles add / users add)");
        data = await GatewayProcess.ConfigureAsync(options.GatewayDll, sshd);
    }
    var bench = new SshBench(options, sshd, ssh, data, Console.Out);
    var counts = new Dictionary<string, int>();
    foreach (var side in order)
    {
        cancel.Token.ThrowIfCancellationRequested();
        var index = counts[side] = counts.GetValueOrDefault(side) + 1;
        Console.WriteLine(string.Create(inv, $"run {runs.Count + 1}/{order.Count}: {side} #{index}"));
        var run = side == SshBenchOptions.SideSsh ? await bench.RunSshAsync(index) : await bench.RunOrielAsync(index, cancel.Token);
        Console.WriteLine(run.Error is null
            ? string.Create(inv, $"  {run.MegabytesPerSecond:0.0} MB/s ({run.Seconds:0.00} s)")
            : "  FAILED: " + run.Error);
        runs.Add(run);
    }
    if (runs.Count > 0)
    {
        summary = ThroughputSummary.Of(runs);
        Console.Write(SshReport.FormatThroughput(runs, summary));
    }
    if (options.RunsIdle)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"idle sessions: {options.IdleSessions}"));
        idle = await bench.RunIdleAsync(cancel.Token);
        Console.Write(SshReport.FormatIdle(idle));
    }
}
catch (OperationCanceledException)
{
    Console.WriteLine("interrupted; reporting what finished");
    failed = true;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
{
    // sshd or the gateway's configuration could not be set up.
    await Console.Error.WriteLineAsync("error: " + e.Message);
    failed = true;
}
finally
{
    ProcessReaper.KillAll();
}

var path = SshReport.WriteJson(options, started, machine, runs, summary, idle);
Console.WriteLine();
Console.WriteLine("results: " + path);
failed |= runs.Count != order.Count || runs.Any(r => r.Error is not null) || (options.RunsIdle && (idle is null || idle.Opened != idle.Requested));
return failed ? 1 : 0;

// "2 cores (AMD EPYC ...), Linux 6.1..., load 3.1 2.9 2.5 at start".
static string Machine()
{
    var model = "";
    try
    {
        model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";
    }
    catch (IOException)
    {
    }
    string load;
    try
    {
        load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        load = "?";
    }
    return string.Create(CultureInfo.InvariantCulture,
        $"{Environment.ProcessorCount} cores{(model.Length > 0 ? " (" + model + ")" : "")}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load {load} at start");
}
