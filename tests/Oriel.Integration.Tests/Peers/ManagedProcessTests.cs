using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Peers;

public sealed class ManagedProcessTests
{
    [Fact(Timeout = 30_000)]
    public async Task Dispose_kills_the_whole_process_group_including_children()
    {
        var dir = TestDirs.Create("managed");
        var childPidFile = Path.Combine(dir, "child.pid");
        // A shell that starts a background sleeper (which ignores SIGTERM) and waits.
        var process = ManagedProcess.Start(["sh", "-c", $"trap '' TERM; (trap '' TERM; exec sleep 300) & echo $! > {childPidFile}; echo started; wait"]);
        await process.WaitForOutputAsync("started", TimeSpan.FromSeconds(10));
        var child = int.Parse(File.ReadAllText(childPidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.True(Directory.Exists($"/proc/{child}"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await process.DisposeAsync();

        Assert.True(process.HasExited);
        Assert.False(IsRunning(child), "the grandchild outlived its group");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
    }

    [Fact(Timeout = 30_000)]
    public async Task WaitForPort_fails_fast_with_the_output_when_the_process_exits()
    {
        await using var process = ManagedProcess.Start(["sh", "-c", "echo some diagnostics >&2; exit 3"]);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => process.WaitForPortAsync(TestPorts.GetFreePort(), TimeSpan.FromSeconds(20)));
        Assert.Contains("code 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("some diagnostics", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task WaitForPort_returns_once_the_port_accepts()
    {
        var port = TestPorts.GetFreePort();
        await using var process = ManagedProcess.Start(["sleep", "60"]);
        var wait = process.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        await wait;
    }

    [Fact(Timeout = 30_000)]
    public async Task Runner_collects_binary_stdout_stderr_and_the_exit_code_and_feeds_stdin()
    {
        var result = await ProcessRunner.RunAsync(["sh", "-c", "cat; printf '\\001\\377'; echo oops >&2; exit 4"], standardInput: "in\n"u8.ToArray());
        Assert.Equal(4, result.ExitCode);
        Assert.Equal(new byte[] { (byte)'i', (byte)'n', (byte)'\n', 1, 0xFF }, result.StandardOutput);
        Assert.Equal("oops\n", result.StandardError);
        Assert.Throws<InvalidOperationException>(() => result.EnsureSuccess());
    }

    [Fact(Timeout = 30_000)]
    public async Task Runner_kills_a_command_that_overruns_its_timeout()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => ProcessRunner.RunAsync(["sleep", "30"], timeout: TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void Output_ring_keeps_the_last_lines()
    {
        var ring = new OutputRing(3);
        for (var i = 0; i < 5; i++) ring.Add($"line {i}");
        Assert.Equal("… (2 earlier lines dropped)\nline 2\nline 3\nline 4\n", ring.ToString());
        Assert.True(ring.Contains("line 4"));
        Assert.False(ring.Contains("line 1"));
    }

    [Fact]
    public void Test_dirs_are_fresh_and_inside_the_run_directory()
    {
        var a = TestDirs.Create("x y");
        var b = TestDirs.Create("x y");
        Assert.NotEqual(a, b);
        Assert.StartsWith(TestDirs.RunDirectory + "/", a, StringComparison.Ordinal);
        Assert.StartsWith("/tmp/oriel-tests/", a, StringComparison.Ordinal);
        Assert.True(Directory.Exists(a));
    }

    [Fact(Timeout = 30_000)]
    public async Task Reaper_kills_what_a_dead_run_left_behind()
    {
        // A fake run directory whose owner has exited, listing a live process group it "left".
        var orphan = ManagedProcess.Start(["sleep", "300"]);
        var pid = orphan.Id;
        ProcessReaper.Unregister(pid); // as if another test host had started it
        var run = Path.Combine(TestDirs.Root, $"19700101-000000-{Environment.ProcessId}-fake");
        Directory.CreateDirectory(Path.Combine(run, "pids"));
        await File.WriteAllTextAsync(Path.Combine(run, "owner"), "2147483646 1");
        await File.WriteAllTextAsync(Path.Combine(run, "pids", pid.ToString(CultureInfo.InvariantCulture)),
            $"{pid} {File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ')[19]}");
        try
        {
            ProcessReaper.ReapAbandonedRuns();
            var code = await orphan.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(128 + 9, code); // SIGKILL
        }
        finally
        {
            await orphan.DisposeAsync();
            Directory.Delete(run, recursive: true);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // A zombie is not running; /proc/<pid>/stat field 3 is the state.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
