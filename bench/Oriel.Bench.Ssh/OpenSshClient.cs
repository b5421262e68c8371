using System.Diagnostics;
using System.Globalization;
using Oriel.TestPeers;

namespace Oriel.Bench.Ssh;

/// <summary>
/// Plain OpenSSH <c>ssh</c> to the benchmark's sshd, the reference side: <c>ssh -tt</c> (a pseudo-terminal, as the
/// gateway asks for) running the remote command with its output to <c>/dev/null</c>, public-key login (the key in
/// sshd's private directory), no user configuration (<c>-F /dev/null</c>), compression off, the host key checked
/// against a known_hosts file. Each run is timed twice: <c>ssh ... true</c> (connection, login, session setup and
/// teardown) and <c>ssh ... COMMAND</c>; the transfer time is the difference, so connection setup is not charged to
/// the transfer, as it is not for the gateway (whose clock starts when the command is typed at the prompt). The ssh
/// client's own CPU time comes from the shell's <c>times</c> builtin (its children's user and system time).
/// </summary>
internal sealed class OpenSshClient(SshdServer sshd, SshClientKey key, string knownHosts)
{
    /// <summary>Runs <c>true</c>, then <paramref name="command"/>; both through a bash that reports its children's CPU time.</summary>
    public async Task<OpenSshTiming> RunAsync(string command, TimeSpan timeout)
    {
        var setup = await TimedAsync("true", timeout).ConfigureAwait(false);
        var transfer = await TimedAsync(command, timeout).ConfigureAwait(false);
        return new OpenSshTiming(setup.Seconds, transfer.Seconds, setup.CpuSeconds, transfer.CpuSeconds);
    }

    private async Task<(double Seconds, double CpuSeconds)> TimedAsync(string command, TimeSpan timeout)
    {
        var inv = CultureInfo.InvariantCulture;
        // bash -c SCRIPT NAME ARGS...: "$@" is ssh's argument list; `times` prints the shell's and its children's CPU time.
        string[] argv =
        [
            "bash", "-c", "ssh \"$@\" >/dev/null; s=$?; times; exit $s", "bench-ssh",
            "-F", "/dev/null", "-tt", "-p", sshd.Port.ToString(inv), "-i", key.PrivateKeyPath,
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "PasswordAuthentication=no",
            "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes",
            "-o", "Compression=no", "-o", "LogLevel=ERROR",
            sshd.User + "@127.0.0.1", command,
        ];
        var clock = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(argv, timeout: timeout).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh {command} exited with {result.ExitCode}: {result.StandardError.Trim()}\nsshd log:\n{sshd.Log}");
        }
        return (seconds, ParseChildrenCpu(result.StandardOutputText)
            ?? throw new InvalidOperationException("cannot read the `times` output: " + result.StandardOutputText));
    }

    /// <summary>
    /// The children's user + system seconds from bash's <c>times</c> output: two lines of "<c>XmY.YYYs XmY.YYYs</c>", the
    /// shell's own, then its children's. Null when it is not in that form.
    /// </summary>
    internal static double? ParseChildrenCpu(string timesOutput)
    {
        var lines = timesOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2) return null;
        var fields = lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 2) return null;
        double total = 0;
        foreach (var f in fields)
        {
            var m = f.IndexOf('m', StringComparison.Ordinal);
            if (m <= 0 || !f.EndsWith('s')) return null;
            if (!int.TryParse(f.AsSpan(0, m), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)) return null;
            if (!double.TryParse(f.AsSpan(m + 1, f.Length - m - 2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)) return null;
            total += minutes * 60 + seconds;
        }
        return total;
    }
}
