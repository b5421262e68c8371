using System.Globalization;
using Oriel.TestPeers;

namespace Oriel.Bench.Ssh;

/// <summary>
/// What the benchmark reads of a process in <c>/proc</c>: CPU time (<c>stat</c>: utime + stime, all threads), resident
/// memory and its peak and the thread count (<c>status</c>: VmRSS, VmHWM, Threads), proportional set size
/// (<c>smaps_rollup</c>: Pss, shared pages divided among the processes sharing them), and the process tree.
/// </summary>
internal static class ProcFs
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

    /// <summary>CPU seconds (user + system, every thread) the process has used so far.</summary>
    public static double CpuSeconds(int pid) =>
        ParseStat(File.ReadAllText($"/proc/{pid}/stat")) is { } s ? s.Ticks / s_ticksPerSecond
            : throw new InvalidOperationException($"/proc/{pid}/stat is not in the expected form");

    /// <summary>VmRSS, VmHWM (KiB) and Threads of a live process.</summary>
    public static ProcStatus Status(int pid) => ParseStatus(File.ReadAllText($"/proc/{pid}/status"));

    /// <summary>
    /// Resets the process's peak resident set size (VmHWM) to its current RSS (<c>echo 5 &gt; /proc/PID/clear_refs</c>,
    /// Linux 4.0+, needs the right to write it); false when that was refused.
    /// </summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Pss in KiB from <c>smaps_rollup</c>; null when it cannot be read (the process exited, or no permission).</summary>
    public static long? PssKib(int pid)
    {
        try
        {
            return ParseKibField(File.ReadAllText($"/proc/{pid}/smaps_rollup"), "Pss:");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The processes below <paramref name="root"/> in the parent tree (children, grandchildren, ...).</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }
            if (ParseStat(stat) is not { } s) continue;
            if (!children.TryGetValue(s.Parent, out var list)) children[s.Parent] = list = [];
            list.Add(pid);
        }
        var result = new List<int>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
        {
            if (!children.TryGetValue(pid, out var list)) continue;
            foreach (var child in list)
            {
                result.Add(child);
                pending.Push(child);
            }
        }
        return result;
    }

    /// <summary>
    /// Sums RSS, Pss and threads over <paramref name="pids"/> (processes that exit meanwhile are skipped and not counted).
    /// </summary>
    public static ProcessSetMemory Sum(IEnumerable<int> pids)
    {
        long rss = 0, pss = 0;
        int threads = 0, processes = 0;
        foreach (var pid in pids)
        {
            ProcStatus status;
            try
            {
                status = Status(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            processes++;
            rss += status.RssKib;
            threads += status.Threads;
            pss += PssKib(pid) ?? status.RssKib;
        }
        return new ProcessSetMemory(processes, threads, rss, pss);
    }

    /// <summary>Parses a <c>stat</c> line: field 4 is the parent, 14 and 15 utime and stime; null when malformed.</summary>
    internal static (int Parent, long Ticks)? ParseStat(string stat)
    {
        // The command name (field 2) is in parentheses and may contain spaces and ')': split after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        if (fields.Length < 13) return null;
        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)) return null;
        if (!long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)) return null;
        if (!long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime)) return null;
        return (parent, utime + stime);
    }

    /// <summary>Parses <c>/proc/PID/status</c> text.</summary>
    /// <exception cref="InvalidOperationException">VmRSS, VmHWM or Threads is missing (a kernel thread, or not a status file).</exception>
    internal static ProcStatus ParseStatus(string status)
    {
        var rss = ParseKibField(status, "VmRSS:") ?? throw new InvalidOperationException("status has no VmRSS");
        var hwm = ParseKibField(status, "VmHWM:") ?? throw new InvalidOperationException("status has no VmHWM");
        var threads = ParseKibField(status, "Threads:") ?? throw new InvalidOperationException("status has no Threads");
        return new ProcStatus(rss, hwm, (int)threads);
    }

    /// <summary>The number after <paramref name="name"/> at the start of a line ("VmRSS:\t  1234 kB" → 1234), or null.</summary>
    internal static long? ParseKibField(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
            var value = line[name.Length..].Trim();
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space >= 0) value = value[..space];
            return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        }
        return null;
    }
}
