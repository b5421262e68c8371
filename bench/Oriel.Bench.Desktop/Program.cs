using System.Globalization;
using Oriel.Bench.Desktop;
using Oriel.TestPeers;

// The Oriel desktop benchmark: see bench/README.md.
BenchOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("error: " + e.Message + "\n\n" + BenchOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the runner's `await using` blocks stop Xvnc, the relay and Chromium.
    e.Cancel = true;
    cancel.Cancel();
};

await ProcessCpu.InitialiseAsync();
var started = DateTimeOffset.Now;
var order = options.RunOrder();
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv,
    $"Oriel desktop benchmark: {options.Width}x{options.Height} Xvnc, xterm scrolling {options.LinesPerSecond:0.#} lines/s; " +
    $"warm-up {options.WarmupSeconds:0.#} s, measured {options.MeasureSeconds:0.#} s; runs: {string.Join(", ", order)}"));

var runner = new BenchRunner(options, Console.Out);
var runs = new List<RunResult>();
var counts = new Dictionary<string, int>();
try
{
    foreach (var name in order)
    {
        cancel.Token.ThrowIfCancellationRequested();
        var index = counts[name] = counts.GetValueOrDefault(name) + 1;
        Console.WriteLine(string.Create(inv, $"run {runs.Count + 1}/{order.Count}: {name} #{index}"));
        var result = await runner.RunAsync(name, index, cancel.Token);
        if (result.Error is not null) Console.WriteLine("  FAILED: " + result.Error);
        runs.Add(result);
    }
}
catch (OperationCanceledException)
{
    Console.WriteLine("interrupted; reporting the runs that finished");
}
finally
{
    ProcessReaper.KillAll();
}

var rows = Report.Compare(runs);
Console.Write(Report.FormatTables(runs, rows));
var path = Report.WriteJson(options, started, runs, rows);
Console.WriteLine();
Console.WriteLine("results: " + path);
return runs.Count == order.Count && runs.All(r => r.Error is null) ? 0 : 1;
