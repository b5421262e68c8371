using System.Diagnostics;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>A small tmpfs mounted over a directory (a disk that fills up); needs the right to mount (root, as the tests run).</summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private static readonly Lazy<string?> s_refusal = new(Probe);

    private TmpfsMount(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Why a tmpfs cannot be mounted here, or null when it can (probed once: mount and unmount a tiny one).</summary>
    public static string? Refusal => s_refusal.Value;

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's syntax, e.g. "256k") over <paramref name="directory"/>, creating it.</summary>
    public static async Task<TmpfsMount> MountAsync(string directory, string size)
    {
        System.IO.Directory.CreateDirectory(directory);
        (await ProcessRunner.RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", directory)).EnsureSuccess();
        return new TmpfsMount(directory);
    }

    public async ValueTask DisposeAsync() => (await ProcessRunner.RunAsync("umount", Directory)).EnsureSuccess();

    private static string? Probe()
    {
        var dir = Path.Combine(Path.GetTempPath(), "oriel-tmpfs-probe-" + Environment.ProcessId);
        System.IO.Directory.CreateDirectory(dir);
        try
        {
            var (code, error) = Run("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", dir);
            if (code != 0) return $"cannot mount a tmpfs here (mount exited {code}: {error.Trim()})";
            Run("umount", dir);
            return null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot run mount: {e.Message}";
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(dir);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (int Code, string Error) Run(string program, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, error);
    }
}
