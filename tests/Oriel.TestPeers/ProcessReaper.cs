using System.Collections.Concurrent;
using System.Globalization;

namespace Oriel.TestPeers;

/// <summary>
/// Makes sure nothing a test started outlives the test run. Every process the peers start leads
/// its own process group (it is started through <c>setsid</c>); the reaper remembers each group,
/// kills them all when this process exits, and writes them to <c>&lt;run&gt;/pids/</c> so that the next
/// run kills what a run killed with SIGKILL (a hung test host) had left behind.
/// </summary>
public static class ProcessReaper
{
    private static readonly ConcurrentDictionary<int, string> s_groups = new();
    private static readonly Lazy<string> s_pidDirectory = new(Initialise);

    /// <summary>Records a process group (its leader's id) to kill at exit.</summary>
    public static void Register(int processGroup)
    {
        var identity = ProcessIdentity.Describe(processGroup);
        s_groups[processGroup] = identity;
        try
        {
            File.WriteAllText(Path.Combine(s_pidDirectory.Value, processGroup.ToString(CultureInfo.InvariantCulture)), identity);
        }
        catch (IOException)
        {
            // The in-memory record still covers a normal exit.
        }
    }

    /// <summary>Forgets a group that has been stopped.</summary>
    public static void Unregister(int processGroup)
    {
        s_groups.TryRemove(processGroup, out _);
        try
        {
            File.Delete(Path.Combine(s_pidDirectory.Value, processGroup.ToString(CultureInfo.InvariantCulture)));
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Stops every group still registered: SIGTERM (so servers such as Xvnc remove their lock files),
    /// up to one second's grace, then SIGKILL. Called at process exit; safe to call any time.
    /// </summary>
    public static void KillAll()
    {
        var live = s_groups.Where(g => ProcessIdentity.IsAlive(g.Value)).Select(g => g.Key).ToList();
        foreach (var group in live) NativeMethods.KillGroup(group, NativeMethods.SigTerm);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (live.Any(NativeMethods.GroupExists) && clock.ElapsedMilliseconds < 1000)
        {
            Thread.Sleep(20);
        }
        foreach (var group in live.Where(NativeMethods.GroupExists)) NativeMethods.KillGroup(group, NativeMethods.SigKill);
        s_groups.Clear();
    }

    private static string Initialise()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        ReapAbandonedRuns();
        var dir = Path.Combine(TestDirs.RunDirectory, "pids");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Kills the process groups recorded by runs whose owner process is gone (a test host killed by
    /// a hang timeout cannot clean up after itself), and removes such run directories after 6 hours.
    /// Runs once automatically when the first process is registered.
    /// </summary>
    public static void ReapAbandonedRuns()
    {
        if (!Directory.Exists(TestDirs.Root)) return;
        foreach (var run in Directory.EnumerateDirectories(TestDirs.Root))
        {
            if (string.Equals(run, TestDirs.RunDirectory, StringComparison.Ordinal)) continue;
            try
            {
                var ownerFile = Path.Combine(run, "owner");
                if (!File.Exists(ownerFile) || ProcessIdentity.IsAlive(File.ReadAllText(ownerFile))) continue;
                var pids = Path.Combine(run, "pids");
                if (Directory.Exists(pids))
                {
                    foreach (var file in Directory.EnumerateFiles(pids))
                    {
                        var identity = File.ReadAllText(file);
                        if (ProcessIdentity.IsAlive(identity) &&
                            int.TryParse(identity.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var group))
                        {
                            NativeMethods.KillGroup(group, NativeMethods.SigKill);
                        }
                        File.Delete(file);
                    }
                }
                if (Directory.GetLastWriteTimeUtc(run) < DateTime.UtcNow.AddHours(-6))
                {
                    Directory.Delete(run, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
