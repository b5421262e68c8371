namespace Oriel.Testing.Fuzzing;

/// <summary>
/// The committed inputs the fuzzer once crashed or hung on, tests/fuzz-regressions/&lt;target&gt;/ (copied next to
/// every test assembly that references this project). Replaying one must now end the documented way: decoded,
/// or rejected with <see cref="Oriel.Wire.DecodeException"/>, within <see cref="TimeLimit"/>.
/// </summary>
public static class RegressionCorpus
{
    /// <summary>A liveness bound, not a speed test: every input here decodes in milliseconds once fixed.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    /// <summary>The corpus folder in the test's output directory.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fuzz-regressions");

    /// <summary>The input files of <paramref name="target"/> (none yet is fine), in ordinal order.</summary>
    public static IReadOnlyList<string> Inputs(string target, string? directory = null)
    {
        var folder = Path.Combine(directory ?? Directory, target);
        return System.IO.Directory.Exists(folder)
            ? [.. System.IO.Directory.GetFiles(folder).Where(f => Path.GetFileName(f) != "README.md").Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>
    /// Replays every input of <paramref name="target"/>; returns one line per input that still fails (an exception
    /// other than the documented ones, or no end within <see cref="TimeLimit"/>), empty when all pass.
    /// </summary>
    public static IReadOnlyList<string> Replay(string target, string? directory = null)
    {
        var run = FuzzTargets.Get(target);
        var failures = new List<string>();
        foreach (var path in Inputs(target, directory))
        {
            var failure = ReplayOne(run, File.ReadAllBytes(path));
            if (failure is not null) failures.Add($"{target}/{Path.GetFileName(path)}: {failure}");
        }
        return failures;
    }

    /// <summary>Runs one input on its own thread; null when it ended the documented way, else what went wrong.</summary>
    /// <param name="target">The target to run.</param>
    /// <param name="input">The input.</param>
    /// <param name="timeLimit">How long to wait for it to end (default <see cref="TimeLimit"/>).</param>
    public static string? ReplayOne(FuzzTarget target, byte[] input, TimeSpan? timeLimit = null)
    {
        var limit = timeLimit ?? TimeLimit;
        ArgumentNullException.ThrowIfNull(target);
        Exception? escaped = null;
        var thread = new Thread(() =>
        {
            try
            {
                target.Run(input);
            }
#pragma warning disable CA1031 // any exception escaping the target is the finding being reported
            catch (Exception e)
#pragma warning restore CA1031
            {
                escaped = e;
            }
        }, maxStackSize: 16 * 1024 * 1024)
        { IsBackground = true, Name = $"fuzz-replay {target.Name}" };
        thread.Start();
        if (!thread.Join(limit)) return $"no end within {limit.TotalSeconds} s (hang)";
        return escaped is null ? null : escaped.ToString();
    }
}
