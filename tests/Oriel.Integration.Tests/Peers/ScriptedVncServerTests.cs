using System.Buffers.Binary;
using System.Net.Sockets;
using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Peers;

/// <summary>Checks the scripted server's bytes with a hand-written client.</summary>
public sealed class ScriptedVncServerTests
{
    private static async Task<(TcpClient Client, NetworkStream Stream, byte[] ServerInit)> HandshakeAsync(ScriptedVncServer server, int serverInitBytes)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        var s = client.GetStream();
        Assert.Equal("RFB 003.008\n"u8.ToArray(), await ReadAsync(s, 12));
        await s.WriteAsync("RFB 003.008\n"u8.ToArray());
        Assert.Equal(new byte[] { 1, 1 }, await ReadAsync(s, 2));
        await s.WriteAsync(new byte[] { 1 });
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, await ReadAsync(s, 4));
        await s.WriteAsync(new byte[] { 1 }); // ClientInit, shared
        return (client, s, await ReadAsync(s, serverInitBytes));
    }

    private static async Task<byte[]> ReadAsync(NetworkStream s, int n)
    {
        var b = new byte[n];
        await s.ReadExactlyAsync(b);
        return b;
    }

    private static readonly byte[] s_updateRequest = [3, 0, 0, 0, 0, 0, 0, 4, 0, 2];

    [Fact(Timeout = 30_000)]
    public async Task Well_behaved_sends_server_init_then_a_red_raw_update()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved, width: 4, height: 2, name: "hi");
        var (client, s, init) = await HandshakeAsync(server, 26);
        using var _ = client;
        Assert.Equal(Convert.FromHexString("00040002" + "20180001" + "00ff00ff00ff" + "100800" + "000000" + "00000002" + "6869"), init);

        await s.WriteAsync(s_updateRequest);
        var update = await ReadAsync(s, 16 + 4 * 2 * 4);
        Assert.Equal(Convert.FromHexString("00000001" + "0000000000040002" + "00000000"), update[..16]);
        for (var i = 16; i < update.Length; i += 4)
        {
            Assert.Equal(0x00FF0000u, BinaryPrimitives.ReadUInt32LittleEndian(update.AsSpan(i)));
        }
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task Well_behaved_honours_the_clients_pixel_format()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved, width: 1, height: 1);
        var (client, s, _) = await HandshakeAsync(server, 24 + 8);
        using var _c = client;
        // SetPixelFormat: 16 bpp big-endian RGB565.
        await s.WriteAsync(Convert.FromHexString("00000000" + "10100101" + "001f003f001f" + "0b0500" + "000000"));
        await s.WriteAsync(s_updateRequest);
        var update = await ReadAsync(s, 16 + 2);
        Assert.Equal(new byte[] { 0xF8, 0x00 }, update[16..]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Huge_name_length_is_sent_in_server_init()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.HugeNameLength);
        var (client, _, init) = await HandshakeAsync(server, 24);
        using var _c = client;
        Assert.Equal(0x7FFFFFFFu, BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20)));
    }

    [Theory(Timeout = 30_000)]
    [InlineData(Misbehavior.HugeCutTextLength, "030000007fffffff")]
    [InlineData(Misbehavior.UnknownMessageType, "4d01020304050607")]
    [InlineData(Misbehavior.RectangleOutsideFramebuffer, "000000010038002800100010")]
    public async Task Misbehaves_after_the_first_update_request(Misbehavior script, string expectedHex)
    {
        await using var server = ScriptedVncServer.Start(script, width: 64, height: 48);
        var (client, s, _) = await HandshakeAsync(server, 24 + 8);
        using var _c = client;
        await s.WriteAsync(s_updateRequest);
        var expected = Convert.FromHexString(expectedHex);
        Assert.Equal(expected, await ReadAsync(s, expected.Length));
    }

    [Fact(Timeout = 30_000)]
    public async Task Truncated_then_close_sends_half_an_update_and_closes()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.TruncatedThenClose, width: 8, height: 4);
        var (client, s, _) = await HandshakeAsync(server, 24 + 8);
        using var _c = client;
        await s.WriteAsync(s_updateRequest);
        using var all = new MemoryStream();
        await s.CopyToAsync(all);
        Assert.Equal(16 + 8 * 4 * 4 / 2, all.Length);
    }

    /// <summary>Reads what arrives within <paramref name="quiet"/>; the connection must still be open.</summary>
    private static async Task<int> BytesWithinAsync(NetworkStream s, TimeSpan quiet)
    {
        var buffer = new byte[64 * 1024];
        var total = 0;
        using var cts = new CancellationTokenSource(quiet);
        try
        {
            while (true)
            {
                var n = await s.ReadAsync(buffer, cts.Token);
                Assert.NotEqual(0, n); // the server closed: it was to stay silent with the connection open
                total += n;
            }
        }
        catch (OperationCanceledException)
        {
            return total;
        }
    }

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    [Fact(Timeout = 30_000)]
    public async Task Silent_after_accept_sends_nothing_and_keeps_the_connection()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.SilentAfterAccept);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        var s = client.GetStream();
        await s.WriteAsync("RFB 003.008\n"u8.ToArray());
        Assert.Equal(0, await BytesWithinAsync(s, Quiet));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stalls_mid_rectangle_sends_half_an_update_then_nothing()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.StallsMidRectangle, width: 8, height: 4);
        var (client, s, _) = await HandshakeAsync(server, 24 + 8);
        using var _c = client;
        await s.WriteAsync(s_updateRequest);
        Assert.Equal(Convert.FromHexString("00000001" + "0000000000080004" + "00000000"), await ReadAsync(s, 16));
        Assert.Equal(8 * 4 * 4 / 2, await BytesWithinAsync(s, Quiet));
        await s.WriteAsync(s_updateRequest); // a later request, even a non-incremental one, is not answered
        Assert.Equal(0, await BytesWithinAsync(s, Quiet));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stops_answering_after_its_first_update()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.StopsAnswering, width: 4, height: 2);
        var (client, s, _) = await HandshakeAsync(server, 24 + 8);
        using var _c = client;
        await s.WriteAsync(s_updateRequest);
        Assert.Equal(16 + 4 * 2 * 4, await BytesWithinAsync(s, Quiet));
        await s.WriteAsync(s_updateRequest); // non-incremental: a conforming server would answer
        Assert.Equal(0, await BytesWithinAsync(s, Quiet));
    }

    [Fact(Timeout = 30_000)]
    public async Task Counts_connections_the_client_closes()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.HugeNameLength);
        var (client, _, _) = await HandshakeAsync(server, 24);
        client.Dispose();
        await server.WaitForClientCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, server.ClosedByClientCount);
    }
}
