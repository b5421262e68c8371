using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace Oriel.Rfb.Tests;

/// <summary>
/// A quick check against a real TigerVNC Xvnc on loopback (display :77, port 5977), with a
/// throwaway blocking socket loop. Run with: dotnet test --filter Category=Manual.
/// The proper integration suite lives elsewhere.
/// </summary>
[Trait("Category", "Manual")]
public sealed class ManualXvncTests : IDisposable
{
    private const int Display = 77;
    private const int Port = 5977;
    private Process? _xvnc;
    private readonly string _dir = Directory.CreateTempSubdirectory("oriel-rfb-").FullName;

    private void StartXvnc(params string[] security)
    {
        var psi = new ProcessStartInfo("Xvnc")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in new[] { $":{Display}", "-rfbport", $"{Port}", "-interface", "127.0.0.1", "-geometry", "800x600", "-depth", "24" }.Concat(security))
        {
            psi.ArgumentList.Add(a);
        }
        _xvnc = Process.Start(psi)!;
        _xvnc.ErrorDataReceived += (_, _) => { };
        _xvnc.BeginErrorReadLine();
        _xvnc.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static void Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.WaitForExit(10_000);
        Assert.Equal(0, p.ExitCode);
    }

    /// <summary>Pumps the client over a socket until <paramref name="until"/> sees the event it waits for.</summary>
    private static void Pump(RfbClient client, NetworkStream stream, List<RfbEvent> events, Func<RfbEvent, bool> until)
    {
        var buffer = new byte[64 * 1024];
        var output = new ArrayBufferWriter<byte>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (client.HasOutput)
            {
                output.Clear();
                client.TakeOutput(output);
                stream.Write(output.WrittenSpan);
            }
            var n = stream.Read(buffer);
            Assert.True(n > 0, "server closed the connection");
            client.Receive(buffer.AsSpan(0, n));
            var done = false;
            while (client.TryDequeueEvent(out var ev))
            {
                events.Add(ev);
                done |= until(ev);
            }
            if (client.HasOutput)
            {
                output.Clear();
                client.TakeOutput(output);
                stream.Write(output.WrittenSpan);
            }
            if (done) return;
        }
        Assert.Fail("timed out");
    }

    /// <summary>The first update may carry only ExtendedDesktopSize and the cursor; ask for more until the pixel arrives.</summary>
    private static void WaitForPixel(RfbClient client, NetworkStream stream, List<RfbEvent> events, int x, int y, uint rgb)
    {
        for (var i = 0; i < 10 && client.Framebuffer!.At(x, y) != rgb; i++)
        {
            client.RequestUpdate(incremental: true);
            Pump(client, stream, events, e => e is RfbUpdateCompleted);
        }
        Assert.Equal(rgb, client.Framebuffer!.At(x, y));
    }

    private (RfbClient Client, NetworkStream Stream, TcpClient Tcp, List<RfbEvent> Events) Connect(RfbClientOptions options)
    {
        var tcp = new TcpClient("127.0.0.1", Port) { NoDelay = true };
        tcp.ReceiveTimeout = 10_000;
        var stream = tcp.GetStream();
        var client = new RfbClient(options, new RecordingSink());
        var events = new List<RfbEvent>();
        Pump(client, stream, events, e => e is RfbUpdateCompleted);
        return (client, stream, tcp, events);
    }

    [Fact]
    public void NoneSecurityDrawsTheRootWindow()
    {
        StartXvnc("-SecurityTypes", "None");
        Run("xsetroot", $"-display :{Display} -solid #336699");
        var (client, stream, tcp, events) = Connect(new RfbClientOptions());
        using var _ = tcp;
        Assert.Equal(new RfbConnected(client.DesktopName!, 800, 600), events.OfType<RfbConnected>().Single());
        WaitForPixel(client, stream, events, 400, 300, 0x336699u);

        // SetDesktopSize through ExtendedDesktopSize (Xvnc supports it with RandR).
        // The answer comes in a FramebufferUpdate, so an update request must be outstanding.
        Assert.True(client.RequestDesktopSize(1024, 768));
        client.RequestUpdate(incremental: true);
        Pump(client, stream, events, e => e is RfbFramebufferResized or RfbDesktopSizeRefused);
        Assert.Equal(new RfbFramebufferResized(1024, 768), events.OfType<RfbFramebufferResized>().Last());

        // A cut text round trip through the extended clipboard is server-dependent; just send one.
        client.SendClipboard("hello from oriel");
        client.SendPointer(10, 10, 0);
        client.SendKey(0x61, true);
        client.SendKey(0x61, false);
        WaitForPixel(client, stream, events, 1000, 700, 0x336699u);
    }

    [Fact]
    public void VncAuthenticationWithRightAndWrongPassword()
    {
        var passwd = Path.Combine(_dir, "passwd");
        using (var p = Process.Start(new ProcessStartInfo("vncpasswd", "-f") { RedirectStandardInput = true, RedirectStandardOutput = true })!)
        {
            p.StandardInput.Write("s3cret99");
            p.StandardInput.Close();
            using var file = File.Create(passwd);
            p.StandardOutput.BaseStream.CopyTo(file);
            p.WaitForExit();
        }
        StartXvnc("-SecurityTypes", "VncAuth", "-PasswordFile", passwd);

        var (client, _, tcp, events) = Connect(new RfbClientOptions { Password = "s3cret99" });
        using (tcp)
        {
            Assert.Single(events.OfType<RfbConnected>());
            Assert.Equal(RfbPhase.Normal, client.Phase);
        }

        var ex = Assert.Throws<RfbSecurityException>(() => Connect(new RfbClientOptions { Password = "nope" }));
        Assert.Equal(RfbSecurityFailure.AuthenticationFailed, ex.Kind);
        Assert.False(string.IsNullOrEmpty(ex.Reason));
    }

    public void Dispose()
    {
        if (_xvnc is { HasExited: false })
        {
            _xvnc.Kill();
            _xvnc.WaitForExit(5000);
        }
        _xvnc?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
