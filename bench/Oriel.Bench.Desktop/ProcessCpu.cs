using System.Globalization;
using Oriel.TestPeers;

namespace Oriel.Bench.Desktop;

/// <summary>
/// CPU time of a process group from <c>/proc/&lt;pid&gt;/stat</c>: utime + stime of every live member,
/// plus cutime + cstime (children that exited and were reaped, e.g. websockify's per-connection
/// forks), in seconds. Every process the test peers start leads its own group, so the group is
/// the server and whatever it forked.
/// </summary>
internal static class ProcessCpu
{
    private static double s_ticksPerSecond = 100;

    /// <summary>Reads the kernel's clock tick rate (<c>getconf CLK_TCK</c>); 100 if that fails.</summary>
    public static async Task InitialiseAsync()
    {
        try
        {
            var result = await ProcessRunner.RunAsync("getconf", "CLK_TCK").ConfigureAwait(false);
            if (result.ExitCode == 0 &&
                double.TryParse(result.StandardOutputText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0)
            {
                s_ticksPerSecond = ticks;
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Clock ticks per second used to convert /proc values.</summary>
    public static double TicksPerSecond => s_ticksPerSecond;

    /// <summary>CPU seconds used so far by the group led by <paramref name="processGroup"/>.</summary>
    public static double GroupSeconds(int processGroup)
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0])) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (TryParse(stat, out var group, out var used) && group == processGroup) ticks += used;
        }
        return ticks / s_ticksPerSecond;
    }

    /// <summary>Parses a stat line: field 5 is the group, 14-17 are utime, stime, cutime, cstime.</summary>
    internal static bool TryParse(string stat, out int processGroup, out long ticks)
    {
        processGroup = 0;
        ticks = 0;
        // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0) return false;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        if (fields.Length < 15) return false;
        if (!int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out processGroup)) return false;
        for (var n = 14; n <= 17; n++)
        {
            if (!long.TryParse(fields[n - 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return false;
            ticks += v;
        }
        return true;
    }
}
