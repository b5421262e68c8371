using System.Globalization;

namespace Oriel.TestPeers;

/// <summary>
/// Names a process by its id and its start time (field 22 of <c>/proc/&lt;pid&gt;/stat</c>), so a
/// recycled process id is never mistaken for the process that once had it.
/// </summary>
internal static class ProcessIdentity
{
    /// <summary>"pid starttime", or "pid 0" when /proc cannot be read.</summary>
    public static string Describe(int pid) =>
        string.Create(CultureInfo.InvariantCulture, $"{pid} {StartTime(pid) ?? 0}");

    /// <summary>True when the process described by <paramref name="description"/> is still the same live process.</summary>
    public static bool IsAlive(string description)
    {
        var parts = description.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ||
            !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }
        var now = StartTime(pid);
        return now is not null && (start == 0 || now == start);
    }

    public static ulong? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
            var close = stat.LastIndexOf(')');
            if (close < 0) return null;
            var fields = stat[(close + 2)..].Split(' ');
            // fields[0] is field 3 (state); start time is field 22.
            return fields.Length > 19 && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
