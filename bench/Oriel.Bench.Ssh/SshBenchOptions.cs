using System.Globalization;

namespace Oriel.Bench.Ssh;

/// <summary>The SSH benchmark's settings, from the command line (see <see cref="Usage"/>).</summary>
internal sealed record SshBenchOptions
{
    public const string Usage =
        """
        Oriel SSH benchmark: `head -c BYTES /dev/zero` in a pseudo-terminal on a local OpenSSH sshd, read by
        plain `ssh -tt` to /dev/null and by a TDP client through the Oriel gateway, run alternately; then
        RSS and threads per idle SSH session through the gateway (and on the sshd side).

        usage: Oriel.Bench.Ssh [options]
          --repeats N             rounds of the throughput runs: ssh, oriel, ssh, ... (default 3)
          --bytes N               bytes the remote command writes (default 1073741824 = 1 GiB)
          --idle-sessions N       idle sessions to open through the gateway (default 100; 0 skips the part)
          --only PART[,PART]      run only these of throughput, idle (default both)
          --sides SIDE[,SIDE]     throughput sides to run: ssh, oriel (default both)
          --cipher NAME           the one cipher sshd offers, so both clients use it (default
                                  aes128-gcm@openssh.com; "default" leaves sshd's list and each client chooses)
          --open-parallel N       idle sessions opened at once (default 4)
          --gateway-env NAME=VALUE  an environment variable for the gateway process (repeatable; for experiments
                                  such as DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)
          --repo DIR              repository root (default: found upward from the current directory)
          --gateway-dll PATH      oriel.dll (default: $ORIEL_GATEWAY_DLL, else
                                  REPO/src/Oriel.Gateway/bin/Release/net10.0/oriel.dll)
          --results DIR           where the JSON goes (default REPO/bench/results)
        """;

    /// <summary>One GiB, the default payload.</summary>
    public const long OneGib = 1L << 30;

    public const string PartThroughput = "throughput";
    public const string PartIdle = "idle";
    public const string SideSsh = "ssh";
    public const string SideOriel = "oriel";

    public static readonly IReadOnlyList<string> Parts = [PartThroughput, PartIdle];
    public static readonly IReadOnlyList<string> Sides = [SideSsh, SideOriel];

    public int Repeats { get; init; } = 3;
    public long Bytes { get; init; } = OneGib;
    public int IdleSessions { get; init; } = 100;
    public IReadOnlyList<string> OnlyParts { get; init; } = Parts;
    public IReadOnlyList<string> OnlySides { get; init; } = Sides;

    /// <summary>The cipher sshd is limited to, or null for sshd's default list.</summary>
    public string? Cipher { get; init; } = "aes128-gcm@openssh.com";

    public int OpenParallel { get; init; } = 4;

    /// <summary>Extra environment variables for the gateway process (<c>--gateway-env</c>), for experiments.</summary>
    public IReadOnlyDictionary<string, string> GatewayEnvironment { get; init; } = new Dictionary<string, string>();
    public string RepoRoot { get; init; } = "";
    public string GatewayDll { get; init; } = "";
    public string ResultsDirectory { get; init; } = "";

    public bool RunsThroughput => OnlyParts.Contains(PartThroughput);
    public bool RunsIdle => OnlyParts.Contains(PartIdle) && IdleSessions > 0;
    public bool NeedsGateway => RunsIdle || (RunsThroughput && OnlySides.Contains(SideOriel));

    /// <summary>The throughput runs in order: ssh, oriel, ssh, oriel, ... (<see cref="Repeats"/> rounds, only the chosen sides).</summary>
    public IReadOnlyList<string> RunOrder()
    {
        var order = new List<string>();
        if (!RunsThroughput) return order;
        for (var i = 0; i < Repeats; i++)
        {
            order.AddRange(Sides.Where(OnlySides.Contains));
        }
        return order;
    }

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static SshBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SshBenchOptions();
        string? repo = null, dll = null, results = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
                return args[++i];
            }
            switch (name)
            {
                case "--repeats": o = o with { Repeats = (int)Number(name, Value(), 1, 100) }; break;
                case "--bytes": o = o with { Bytes = (long)Number(name, Value(), 1, 1L << 40) }; break;
                case "--idle-sessions": o = o with { IdleSessions = (int)Number(name, Value(), 0, 2000) }; break;
                case "--open-parallel": o = o with { OpenParallel = (int)Number(name, Value(), 1, 64) }; break;
                case "--only": o = o with { OnlyParts = List(name, Value(), Parts) }; break;
                case "--sides": o = o with { OnlySides = List(name, Value(), Sides) }; break;
                case "--cipher":
                    var cipher = Value();
                    o = o with { Cipher = cipher == "default" ? null : cipher };
                    break;
                case "--gateway-env":
                    var pair = Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) throw new ArgumentException("--gateway-env takes NAME=VALUE");
                    o = o with { GatewayEnvironment = new Dictionary<string, string>(o.GatewayEnvironment) { [pair[..eq]] = pair[(eq + 1)..] } };
                    break;
                case "--repo": repo = Value(); break;
                case "--gateway-dll": dll = Value(); break;
                case "--results": results = Value(); break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }
        var root = Path.GetFullPath(repo ?? FindRepoRoot() ?? throw new ArgumentException("cannot find the repository root (Oriel.sln); pass --repo"));
        return o with
        {
            RepoRoot = root,
            GatewayDll = Path.GetFullPath(dll ?? Environment.GetEnvironmentVariable("ORIEL_GATEWAY_DLL")
                ?? Path.Combine(root, "src", "Oriel.Gateway", "bin", "Release", "net10.0", "oriel.dll")),
            ResultsDirectory = Path.GetFullPath(results ?? Path.Combine(root, "bench", "results")),
        };
    }

    private static IReadOnlyList<string> List(string option, string value, IReadOnlyList<string> allowed)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0 || names.Any(n => !allowed.Contains(n)))
        {
            throw new ArgumentException($"{option} takes one or more of {string.Join(", ", allowed)}, separated by commas");
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
