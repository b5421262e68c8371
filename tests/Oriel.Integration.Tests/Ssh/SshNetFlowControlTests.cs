using System.Security.Cryptography;
using System.Text;
using Oriel.Gateway.Ssh;
using Oriel.TestPeers;
using static Oriel.Integration.Tests.Ssh.SshTestTarget;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>
/// Flow control of the SSH terminal against a real sshd: a slow reader holds the server back, nothing is lost, and the
/// gateway's memory does not grow with the output. Alone, because it measures the process's managed memory.
/// </summary>
[Collection(SshNetAloneCollection.Name)]
public sealed class SshNetFlowControlTests
{
    private const int FiftyMegabytes = 52_428_800;

    [Fact(Timeout = 180_000)]
    public async Task Fifty_megabytes_arrive_byte_exact_through_a_slow_reader_with_bounded_memory()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var connection = await ConnectAsync(server, Password());
        var terminal = (SshNetTerminal)await OpenAsync(connection);
        await using var _ = terminal;
        var before = GC.GetTotalMemory(forceFullCollection: true);

        // Raw mode first: no CR/LF translation and no echo, so the file's bytes come through as they are. The typed
        // line itself is echoed before stty runs; its printf format is not the marker.
        await TypeAsync(terminal,
            "stty raw -echo; f=$(mktemp); head -c 52428800 /dev/urandom > $f; sha256sum < $f | cut -c1-64; printf 'BEGIN%s\\n' -OF-DATA; cat $f; rm -f $f; exit\n");
        var marker = "BEGIN-OF-DATA\n"u8.ToArray();
        var head = new List<byte>();
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        int markerAt;
        while ((markerAt = head.ToArray().AsSpan().IndexOf(marker)) < 0)
        {
            var n = await terminal.ReadAsync(buffer, cts.Token);
            Assert.True(n > 0, $"closed before the data: {Encoding.UTF8.GetString(head.ToArray())}");
            head.AddRange(buffer.AsSpan(0, n).ToArray());
            Assert.True(head.Count < 1024 * 1024, "no marker in the first megabyte");
        }
        var all = head.ToArray();
        var expectedHash = Encoding.ASCII.GetString(all, markerAt - 65, 64);
        Assert.Matches("^[0-9a-f]{64}$", expectedHash);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = Math.Min(all.Length - markerAt - marker.Length, FiftyMegabytes);
        hash.AppendData(all, markerAt + marker.Length, (int)total);

        // Stop reading: the buffer fills and the connection's reader is held back.
        // Held means the buffer is full and the handler waits: a read just before may still be making room for the
        // rest of a packet, so the flag alone (seen before that thread ran) is not enough.
        var held = await PollAsync(() => terminal.IsBackpressured && terminal.BufferedBytes == terminal.OutputBufferBytes, TimeSpan.FromSeconds(20));
        Assert.True(held, "the terminal never held the connection back while nobody read");
        var taken = terminal.ReceivedBytes;
        await Task.Delay(1000); // held: SSH.NET's reader is stopped, so nothing more is taken from the channel
        Assert.Equal(taken, terminal.ReceivedBytes);
        Assert.True(terminal.IsBackpressured);
        Assert.Equal(terminal.OutputBufferBytes, terminal.HighWaterBytes);

        var slowUntil = 8 * 1024 * 1024;
        while (total < FiftyMegabytes)
        {
            var n = await terminal.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, FiftyMegabytes - total)), cts.Token);
            Assert.True(n > 0, $"closed after {total} bytes");
            hash.AppendData(buffer, 0, n);
            total += n;
            if (total < slowUntil) await Task.Delay(10); // a slow reader for the first megabytes
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(expectedHash, Convert.ToHexStringLower(hash.GetHashAndReset()));
        Assert.True(terminal.HighWaterBytes <= terminal.OutputBufferBytes, $"held {terminal.HighWaterBytes} bytes");
        Assert.True(terminal.ReceivedBytes >= FiftyMegabytes);
        Assert.True(after - before < 8 * 1024 * 1024, $"managed memory grew by {(after - before) / 1024} KiB while 50 MB went through");
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
