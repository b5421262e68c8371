using Oriel.TestPeers;
using static Oriel.Integration.Tests.Ssh.SshTestTarget;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>SSH.NET reads each connection on a thread of its own: disposing a connection must end it.</summary>
[Collection(SshNetAloneCollection.Name)]
public sealed class SshNetThreadTests
{

    [Fact(Timeout = 120_000)]
    public async Task Disposed_connections_leave_no_reader_threads_behind()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        // Warm up once, so that lazily started runtime threads are not counted.
        await using (var warm = await ConnectAsync(server, Password())) await using (await OpenAsync(warm)) { }
        await Task.Delay(500);
        var before = DedicatedThreads();

        const int Connections = 8;
        for (var i = 0; i < Connections; i++)
        {
            var connection = await ConnectAsync(server, Password());
            var terminal = await OpenAsync(connection);
            Assert.True(DedicatedThreads() > before, "no reader thread while connected"); // the count sees it
            await terminal.DisposeAsync();
            await connection.DisposeAsync();
        }

        // A leak is one thread per connection; allow a little for the runtime's own.
        var after = before;
        for (var i = 0; i < 50; i++)
        {
            after = DedicatedThreads();
            if (after < before + Connections / 2) break;
            await Task.Delay(100);
        }
        Assert.True(after < before + Connections / 2, $"long-running task threads: {before} before, {after} after {Connections} connections");
    }

    /// <summary>
    /// Threads of this process that run long-running tasks (SSH.NET starts each connection's reader as one; the
    /// runtime names their threads ".NET Long Running Task", which /proc cuts to 15 characters).
    /// </summary>
    private static int DedicatedThreads() =>
        Directory.EnumerateDirectories("/proc/self/task").Count(task =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Long", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false; // ended meanwhile
            }
        });
}
