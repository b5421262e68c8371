using Oriel.Gateway.Ssh;
using Oriel.TestPeers;
using static Oriel.Integration.Tests.Ssh.SshTestTarget;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>The terminal channel of Oriel's SSH client against a real sshd: flow control, resize, exit, liveness.</summary>
public sealed class SshNetTerminalTests
{
    [Fact(Timeout = 60_000)]
    public async Task Disposing_a_terminal_that_holds_the_connection_back_does_not_hang()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        var connection = await ConnectAsync(server, Password());
        var terminal = (SshNetTerminal)await OpenAsync(connection, 80, 24);
        await TypeAsync(terminal, "stty raw -echo; head -c 100000000 /dev/zero\n");
        Assert.True(await PollAsync(() => terminal.IsBackpressured, TimeSpan.FromSeconds(20)), "never held back");

        await terminal.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await connection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(connection.Closed.IsCompleted);
        Assert.True(terminal.HighWaterBytes <= terminal.OutputBufferBytes);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stty_size_follows_the_pty_request_and_resize()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());
        await using var terminal = await OpenAsync(connection, 80, 24);

        await TypeAsync(terminal, "stty size\n");
        await ReadUntilAsync(terminal, "24 80\r\n");
        terminal.Resize(132, 43, 1056, 688);
        await TypeAsync(terminal, "stty size\n");
        await ReadUntilAsync(terminal, "43 132\r\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_default_terminal_modes_are_utf8_with_del_as_erase()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());
        await using var terminal = await OpenAsync(connection);

        // The quotes keep the echoed command line from matching the markers.
        await TypeAsync(terminal, "echo BE''GIN; stty -a; echo E''ND\n");
        var output = await ReadUntilAsync(terminal, "END\r\n");
        var modes = output[output.IndexOf("BEGIN\r\n", StringComparison.Ordinal)..].Split([' ', ';', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("^?", modes.SkipWhile(m => m != "erase").Skip(2).Take(1)); // "erase = ^?"
        Assert.Contains("iutf8", modes);
        Assert.Contains("echo", modes);
        Assert.Contains("icanon", modes);
        Assert.Contains("isig", modes);
        Assert.Contains("38400", modes);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_exit_status_is_reported_and_reads_end()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());
        await using var terminal = await OpenAsync(connection);

        await TypeAsync(terminal, "exit 3\n");
        await ReadToEndAsync(terminal);

        Assert.Equal(new SshExit(3, null, false, null), terminal.Exit);
        Assert.Equal("The remote shell exited with status 3.", terminal.Exit!.Describe());
    }

    [Fact(Timeout = 60_000)]
    public async Task The_exit_signal_is_reported()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());
        await using var terminal = await OpenAsync(connection);

        // An interactive shell ignores TERM: exec a plain sh that sends it to itself.
        await TypeAsync(terminal, "exec sh -c 'kill -TERM $$'\n");
        await ReadToEndAsync(terminal);

        Assert.NotNull(terminal.Exit);
        Assert.Equal("TERM", terminal.Exit.Signal);
        Assert.Null(terminal.Exit.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_signal_request_reaches_the_remote_program()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());
        await using var terminal = await OpenAsync(connection);

        await TypeAsync(terminal, "echo READY; exec sleep 600\n");
        await ReadUntilAsync(terminal, "READY\r\n");
        await Task.Delay(300); // let the exec happen
        terminal.Signal("KILL");
        await ReadToEndAsync(terminal);

        Assert.Equal("KILL", terminal.Exit?.Signal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_ping_is_answered_by_a_live_server()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await connection.PingAsync(cts.Token);
        await Task.WhenAll(connection.PingAsync(cts.Token), connection.PingAsync(cts.Token), connection.PingAsync(cts.Token));

        Assert.False(connection.Closed.IsCompleted);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stopped_server_does_not_answer_a_ping()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());
        await using var terminal = await OpenAsync(connection);
        using (var live = new CancellationTokenSource(TimeSpan.FromSeconds(10))) await connection.PingAsync(live.Token);

        server.SuspendSessions();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.PingAsync(deadline.Token));
            Assert.False(connection.Closed.IsCompleted);
        }
        finally
        {
            server.ResumeSessions();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_killed_server_ends_reads_and_completes_closed()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());
        await using var terminal = await OpenAsync(connection);
        await TypeAsync(terminal, "echo READY\n");
        await ReadUntilAsync(terminal, "READY\r\n");

        await server.KillAsync();

        try
        {
            var rest = await ReadToEndAsync(terminal);
            Assert.DoesNotContain("READY", rest, StringComparison.Ordinal);
        }
        catch (SshFailure failure)
        {
            Assert.Equal(SshFailureKind.ConnectionLost, failure.Kind);
        }
        var reason = await connection.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains($"127.0.0.1:{server.Port}", reason, StringComparison.Ordinal);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var ping = await Assert.ThrowsAsync<SshFailure>(() => connection.PingAsync(cts.Token));
        Assert.Equal(SshFailureKind.ConnectionLost, ping.Kind);
    }

    private static async Task<bool> PollAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }
}
