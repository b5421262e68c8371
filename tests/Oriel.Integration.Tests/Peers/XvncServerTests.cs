using System.Net.Sockets;
using System.Text;
using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Peers;

public sealed class XvncServerTests
{
    [Fact(Timeout = 60_000)]
    public async Task Starts_draws_and_reads_the_screen_back_with_xwd()
    {
        await using var server = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 200 });
        Assert.True(File.Exists($"/tmp/.X{server.Display}-lock"));

        await server.RunXCommandAsync("xsetroot", "-solid", "#3366cc");
        var screen = await server.CaptureScreenAsync();

        Assert.Equal(320, screen.Width);
        Assert.Equal(200, screen.Height);
        Assert.All(screen.Pixels, p => Assert.Equal(0x3366CCu, p));
    }

    [Fact(Timeout = 60_000)]
    public async Task Speaks_RFB_3_8_and_offers_the_configured_security_type()
    {
        await using var server = await XvncServer.StartAsync(new XvncOptions { Width = 64, Height = 48, Security = [XvncSecurity.VncAuth] });
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        var stream = client.GetStream();
        var version = new byte[12];
        await stream.ReadExactlyAsync(version);
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(version));
        await stream.WriteAsync("RFB 003.008\n"u8.ToArray());
        var types = new byte[2];
        await stream.ReadExactlyAsync(types);
        Assert.Equal(new byte[] { 1, 2 }, types); // one type: VNC Authentication
    }

    [Fact(Timeout = 60_000)]
    public async Task X509_servers_get_a_certificate_whose_fingerprint_is_exposed()
    {
        await using var server = await XvncServer.StartAsync(new XvncOptions { Width = 64, Height = 48, Security = [XvncSecurity.X509Vnc] });
        Assert.NotNull(server.Certificate);
        Assert.Equal(32, server.CertificateSha256!.Length);
        Assert.True(server.Certificate.Matches(server.Certificate.Certificate));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", await File.ReadAllTextAsync(server.Certificate.CertificatePath), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(server.Certificate.KeyPath), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Dispose_stops_the_server_its_clients_and_frees_the_display()
    {
        var server = await XvncServer.StartAsync(new XvncOptions { Width = 64, Height = 48 });
        var xclock = await server.RunXClientAsync("xclock", "-update", "1");
        var display = server.Display;
        await server.DisposeAsync();
        Assert.True(server.Process.HasExited);
        Assert.True(xclock.HasExited);
        Assert.False(File.Exists($"/tmp/.X{display}-lock"));
        Assert.False(File.Exists($"/tmp/.X11-unix/X{display}"));
    }
}
