using System.Diagnostics;

namespace Oriel.TestPeers;

/// <summary>Runs a short command to completion (its own process group, killed on timeout) and collects its output.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="argv"/>; feeds <paramref name="standardInput"/> (then closes stdin) when given.</summary>
    /// <exception cref="TimeoutException">The command ran longer than <paramref name="timeout"/> (default 60 s); it is killed.</exception>
    public static async Task<ProcessResult> RunAsync(
        IReadOnlyList<string> argv,
        IReadOnlyDictionary<string, string?>? environment = null,
        ReadOnlyMemory<byte>? standardInput = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var command = string.Join(' ', argv);
        var psi = ProcessLauncher.CreateStartInfo(argv, environment, workingDirectory, redirectInput: true);
        using var process = ProcessLauncher.Start(psi);
        using var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        try
        {
            if (standardInput is { } input)
            {
                await process.StandardInput.BaseStream.WriteAsync(input).ConfigureAwait(false);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading its input; its exit code says why.
        }
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            await Task.WhenAll(copyOut, readErr).WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ProcessLauncher.StopAsync(process, TimeSpan.Zero).ConfigureAwait(false);
            throw new TimeoutException($"`{command}` did not finish within {limit.TotalSeconds:0.#} s");
        }
        ProcessReaper.Unregister(process.Id);
        // Children the command left behind in its group (none expected) go too.
        if (NativeMethods.GroupExists(process.Id)) NativeMethods.KillGroup(process.Id, NativeMethods.SigKill);
        return new ProcessResult(command, process.ExitCode, stdout.ToArray(), await readErr.ConfigureAwait(false));
    }

    /// <summary>Shorthand: runs a program with arguments.</summary>
    public static Task<ProcessResult> RunAsync(string program, params string[] args) =>
        RunAsync([program, .. args]);
}
