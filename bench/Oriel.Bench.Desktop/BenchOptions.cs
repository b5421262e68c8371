using System.Globalization;

namespace Oriel.Bench.Desktop;

/// <summary>The benchmark's settings, from the command line (see <see cref="Usage"/>).</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        """
        Oriel desktop benchmark: a scripted xterm scroll on Xvnc, delivered to the browser by
        websockify + noVNC (the peer), by Oriel with recording off and by Oriel recording the
        session, measured the same way, run alternately.

        usage: Oriel.Bench.Desktop [options]
          --warmup SECONDS        warm-up before each measured window (default 5)
          --measure SECONDS       measured window per run (default 15)
          --repeats N             rounds of runs: peer, oriel, oriel-recorded, peer, ... (default 2)
          --only NAME[,NAME]      run only these of peer, oriel, oriel-recorded (repeats still apply)
          --lines-per-second N    scroll rate of the workload (default 60)
          --width W --height H    Xvnc geometry (default 1920x1080)
          --repo DIR              repository root (default: found upward from the current directory)
          --gateway-dll PATH      oriel.dll (default: $ORIEL_GATEWAY_DLL, else
                                  REPO/src/Oriel.Gateway/bin/Release/net10.0/oriel.dll)
          --web-root DIR          built web client (default REPO/web/dist)
          --novnc DIR             noVNC served by websockify (default /usr/share/novnc)
          --results DIR           where the JSON goes (default REPO/bench/results)
          --headed                show the browser (needs a display)
        """;

    public double WarmupSeconds { get; init; } = 5;
    public double MeasureSeconds { get; init; } = 15;
    public int Repeats { get; init; } = 2;
    /// <summary>The candidates to run (a subset of <see cref="CandidateNames.All"/>), or null for all.</summary>
    public IReadOnlyList<string>? Only { get; init; }
    public double LinesPerSecond { get; init; } = 60;
    public int Width { get; init; } = 1920;
    public int Height { get; init; } = 1080;
    public string RepoRoot { get; init; } = "";
    public string GatewayDll { get; init; } = "";
    public string WebRoot { get; init; } = "";
    public string NoVncDirectory { get; init; } = "/usr/share/novnc";
    public string ResultsDirectory { get; init; } = "";
    public bool Headed { get; init; }

    /// <summary>
    /// The candidates in run order: peer, oriel, oriel-recorded, peer, ... (<see cref="Repeats"/> rounds, each in the
    /// order of <see cref="CandidateNames.All"/>, keeping only those of <see cref="Only"/> when given).
    /// </summary>
    public IReadOnlyList<string> RunOrder()
    {
        var order = new List<string>();
        for (var i = 0; i < Repeats; i++)
        {
            order.AddRange(CandidateNames.All.Where(c => Only is null || Only.Contains(c)));
        }
        return order;
    }

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        string? repo = null, dll = null, web = null, results = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
                return args[++i];
            }
            o = name switch
            {
                "--warmup" => o with { WarmupSeconds = Number(name, Value(), 0, 600) },
                "--measure" => o with { MeasureSeconds = Number(name, Value(), 1, 3600) },
                "--repeats" => o with { Repeats = (int)Number(name, Value(), 1, 100) },
                "--only" => o with { Only = Side(Value()) },
                "--lines-per-second" => o with { LinesPerSecond = Number(name, Value(), 1, 10_000) },
                "--width" => o with { Width = (int)Number(name, Value(), 320, 8192) },
                "--height" => o with { Height = (int)Number(name, Value(), 200, 8192) },
                "--novnc" => o with { NoVncDirectory = Value() },
                "--headed" => o with { Headed = true },
                "--repo" => Assign(o, ref repo, Value()),
                "--gateway-dll" => Assign(o, ref dll, Value()),
                "--web-root" => Assign(o, ref web, Value()),
                "--results" => Assign(o, ref results, Value()),
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }
        var root = Path.GetFullPath(repo ?? FindRepoRoot() ?? throw new ArgumentException("cannot find the repository root (Oriel.sln); pass --repo"));
        return o with
        {
            RepoRoot = root,
            GatewayDll = Path.GetFullPath(dll ?? Environment.GetEnvironmentVariable("ORIEL_GATEWAY_DLL")
                ?? Path.Combine(root, "src", "Oriel.Gateway", "bin", "Release", "net10.0", "oriel.dll")),
            WebRoot = Path.GetFullPath(web ?? Path.Combine(root, "web", "dist")),
            ResultsDirectory = Path.GetFullPath(results ?? Path.Combine(root, "bench", "results")),
        };
    }

    private static BenchOptions Assign(BenchOptions o, ref string? slot, string value)
    {
        slot = value;
        return o;
    }

    /// <summary>Parses <c>--only</c>: one or more candidate names separated by commas.</summary>
    private static IReadOnlyList<string> Side(string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length == 0 || names.Any(n => !CandidateNames.All.Contains(n)))
        {
            throw new ArgumentException($"--only takes one or more of {string.Join(", ", CandidateNames.All)}, separated by commas");
        }
        return names.Distinct().ToList();
    }

    private static double Number(string name, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"{name} must be a number from {min} to {max}");
        }
        return value;
    }

    private static string? FindRepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Oriel.sln"))) return dir.FullName;
            }
        }
        return null;
    }
}
