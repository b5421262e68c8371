using System.Globalization;

namespace Oriel.TestPeers;

/// <summary>
/// Private scratch directories for one test run: <c>/tmp/oriel-tests/&lt;run&gt;/&lt;name&gt;-&lt;n&gt;</c>.
/// The run directory records its owner process so a later run can reap what a crashed run left.
/// </summary>
public static class TestDirs
{
    /// <summary>The parent of every run directory.</summary>
    public const string Root = "/tmp/oriel-tests";

    private static readonly Lazy<string> s_runDirectory = new(CreateRunDirectory);
    private static int s_counter;

    /// <summary>This run's directory, created on first use.</summary>
    public static string RunDirectory => s_runDirectory.Value;

    /// <summary>Creates a fresh, empty directory named after <paramref name="name"/> inside this run's directory.</summary>
    public static string Create(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        var n = Interlocked.Increment(ref s_counter);
        var path = Path.Combine(RunDirectory, string.Create(CultureInfo.InvariantCulture, $"{safe}-{n}"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateRunDirectory()
    {
        Directory.CreateDirectory(Root);
        var pid = Environment.ProcessId;
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"{stamp}-{pid}"));
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "owner"), ProcessIdentity.Describe(pid));
        return path;
    }
}
