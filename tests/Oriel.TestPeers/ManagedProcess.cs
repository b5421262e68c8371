using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Oriel.TestPeers;

/// <summary>
/// A long-running process a test depends on (a server, an X client). It leads its own process
/// group; its stdout and stderr go to an <see cref="OutputRing"/> quoted in every failure;
/// disposing it stops the whole group (SIGTERM, then SIGKILL) and waits. Groups still running
/// when the test host exits are killed by <see cref="ProcessReaper"/>.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;
    private int _suspended;
    private int? _exitCodeAfterDispose;

    private ManagedProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>The program name (argv[0]), for messages.</summary>
    public string Name { get; }

    /// <summary>The process id, which is also its process group id.</summary>
    public int Id { get; private set; }

    /// <summary>True once the process has exited (always after disposal).</summary>
    public bool HasExited => Volatile.Read(ref _disposed) != 0 || _process.HasExited;

    /// <summary>The exit code once the process has exited, else null.</summary>
    public int? ExitCode => Volatile.Read(ref _disposed) != 0 ? _exitCodeAfterDispose : _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines of stdout and stderr.</summary>
    public OutputRing Output { get; } = new();

    /// <summary>The last lines of stdout and stderr as one string.</summary>
    public string RecentOutput => Output.ToString();

    /// <summary>Starts <paramref name="argv"/> (argv[0] is the program, looked up in PATH).</summary>
    /// <param name="environment">Variables to set on top of this process's environment; a null value removes one.</param>
    public static ManagedProcess Start(
        IReadOnlyList<string> argv,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var psi = ProcessLauncher.CreateStartInfo(argv, environment, workingDirectory, redirectInput: false);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, Path.GetFileName(argv[0]));
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) managed.Output.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) managed.Output.Add(e.Data);
        };
        if (!process.Start()) throw new InvalidOperationException($"could not start {argv[0]}");
        managed.Id = process.Id;
        ProcessReaper.Register(process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts a TCP connection; fails at once if the process exits.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfExited($"before port {port} accepted connections");
            if (await CanConnectAsync(port, cancellationToken).ConfigureAwait(false)) return;
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} did not accept connections on port {port} within {timeout.TotalSeconds:0.#} s. Output:\n{RecentOutput}");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until a line of output contains <paramref name="text"/>; fails at once if the process exits.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text))
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfExited($"before printing \"{text}\"");
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} did not print \"{text}\" within {timeout.TotalSeconds:0.#} s. Output:\n{RecentOutput}");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0.#} s. Output:\n{RecentOutput}");
        }
        return _process.ExitCode;
    }

    /// <summary>
    /// Freezes the process group (SIGSTOP), as a server that hangs: its sockets stay open and accept data, nothing
    /// answers. <see cref="DisposeAsync"/> resumes it first, so that SIGTERM can be handled.
    /// </summary>
    public void Suspend()
    {
        if (!NativeMethods.KillGroup(Id, NativeMethods.SigStop)) throw new InvalidOperationException($"{Name} ({Id}) could not be stopped");
        Volatile.Write(ref _suspended, 1);
    }

    /// <summary>Lets a <see cref="Suspend"/>ed process group run again (SIGCONT).</summary>
    public void Resume()
    {
        if (Interlocked.Exchange(ref _suspended, 0) != 0) NativeMethods.KillGroup(Id, NativeMethods.SigCont);
    }

    /// <summary>Stops the process group: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public Task StopAsync(TimeSpan grace) => ProcessLauncher.StopAsync(_process, grace);

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        Resume();
        await StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        _exitCodeAfterDispose = _process.HasExited ? _process.ExitCode : null;
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _process.Dispose();
    }

    private void ThrowIfExited(string when)
    {
        if (_process.HasExited)
        {
            // Let the asynchronous readers drain what the process wrote last.
            _process.WaitForExit();
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} {when}. Output:\n{RecentOutput}");
        }
    }

    private static async Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
