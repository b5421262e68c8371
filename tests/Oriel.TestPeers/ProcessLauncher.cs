using System.Diagnostics;

namespace Oriel.TestPeers;

/// <summary>Builds the start info every peer process shares: its own process group (via setsid), redirected streams.</summary>
internal static class ProcessLauncher
{
    private const string Setsid = "/usr/bin/setsid";

    public static ProcessStartInfo CreateStartInfo(
        IReadOnlyList<string> argv,
        IReadOnlyDictionary<string, string?>? environment,
        string? workingDirectory,
        bool redirectInput)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0) throw new ArgumentException("argv must name a program", nameof(argv));
        // setsid execs the program in place (our child is never a group leader), so the child's
        // process id is also its new process group id, and the whole group can be signalled.
        var psi = new ProcessStartInfo(Setsid)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TestDirs.RunDirectory,
        };
        foreach (var arg in argv) psi.ArgumentList.Add(arg);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null) psi.Environment.Remove(key);
                else psi.Environment[key] = value;
            }
        }
        return psi;
    }

    /// <summary>Starts the process and registers its group with the reaper.</summary>
    public static Process Start(ProcessStartInfo psi)
    {
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        if (!process.Start()) throw new InvalidOperationException($"could not start {psi.ArgumentList[0]}");
        ProcessReaper.Register(process.Id);
        return process;
    }

    /// <summary>SIGTERM to the group, then SIGKILL to the group and the tree after <paramref name="grace"/>; waits for the exit.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        int id;
        try
        {
            id = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }
        if (!process.HasExited || NativeMethods.GroupExists(id))
        {
            NativeMethods.KillGroup(id, NativeMethods.SigTerm);
            var deadline = Stopwatch.StartNew();
            while (NativeMethods.GroupExists(id) && deadline.Elapsed < grace)
            {
                await Task.Delay(25).ConfigureAwait(false);
            }
            if (NativeMethods.GroupExists(id))
            {
                try
                {
                    if (!process.HasExited) process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
                NativeMethods.KillGroup(id, NativeMethods.SigKill);
            }
        }
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A process stuck in the kernel; nothing more can be done from here.
            }
        }
        ProcessReaper.Unregister(id);
    }
}
