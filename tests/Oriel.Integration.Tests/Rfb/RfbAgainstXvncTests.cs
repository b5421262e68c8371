using Oriel.Rfb;
using Oriel.Rfb.Encodings;
using Oriel.TestPeers;
using Oriel.Testing;

namespace Oriel.Integration.Tests.Rfb;

/// <summary>The RFB engine against a real TigerVNC Xvnc: every security type .NET can speak, every encoding, clipboard both ways.</summary>
public sealed class RfbAgainstXvncTests
{
    private const int Width = 640;
    private const int Height = 400;

    private static readonly int[] s_pseudoEncodings =
    [
        RfbEncodingType.Cursor,
        RfbEncodingType.DesktopSize,
        RfbEncodingType.ExtendedDesktopSize,
        RfbEncodingType.LastRect,
    ];

    private static Task<XvncServer> StartAsync(params XvncSecurity[] security) =>
        XvncServer.StartAsync(new XvncOptions { Width = Width, Height = Height, Security = security });

    public static TheoryData<XvncSecurity, RfbSecurityPolicy> SecurityCases => new()
    {
        { XvncSecurity.None, RfbSecurityPolicy.NoAuthentication },
        { XvncSecurity.VncAuth, RfbSecurityPolicy.VncAuthentication },
        { XvncSecurity.X509None, RfbSecurityPolicy.X509None },
        { XvncSecurity.X509Vnc, RfbSecurityPolicy.X509Vnc },
        { XvncSecurity.X509Plain, RfbSecurityPolicy.X509Plain },
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(SecurityCases))]
    public async Task Connects_with_each_security_type_and_mirrors_the_screen_exactly(XvncSecurity security, RfbSecurityPolicy policy)
    {
        await using var server = await StartAsync(security);
        await ScreenAssert.DrawSceneAsync(server, "#204080", 0x204080);
        var options = new RfbClientOptions
        {
            Security = policy,
            Password = security == XvncSecurity.X509Plain ? server.Options.PlainPassword : server.Options.VncPassword,
            Username = server.Options.PlainUser,
        };
        await using var session = await RfbTestSession.ConnectAsync(server.Port, options, server.CertificateSha256);

        var connected = Assert.Single(session.History.OfType<RfbConnected>());
        Assert.Equal((Width, Height, "oriel-test"), (connected.Width, connected.Height, connected.Name));
        Assert.Equal(security is XvncSecurity.X509None or XvncSecurity.X509Vnc or XvncSecurity.X509Plain, session.History.OfType<RfbTlsRequired>().Any());
        await ScreenAssert.FramebufferMatchesScreenAsync(server, session);
        Assert.True(session.Sink.Damage.Sum(r => (long)r.Width * r.Height) >= Width * Height);
    }

    public static TheoryData<int> EncodingCases => new()
    {
        RfbEncodingType.Raw,
        RfbEncodingType.Rre,
        RfbEncodingType.Hextile,
        RfbEncodingType.Trle,
        RfbEncodingType.Zrle,
        RfbEncodingType.Tight,
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(EncodingCases))]
    public async Task Decodes_each_encoding_to_exactly_the_screen(int encoding)
    {
        await using var server = await StartAsync(XvncSecurity.None);
        await ScreenAssert.DrawSceneAsync(server, "#806040", 0x806040);
        await using var session = await RfbTestSession.ConnectAsync(server.Port,
            new RfbClientOptions { Security = RfbSecurityPolicy.NoAuthentication, Encodings = [encoding, .. s_pseudoEncodings] });

        await ScreenAssert.FramebufferMatchesScreenAsync(server, session);

        // Change the screen while connected: the incremental updates must keep it exact.
        await server.RunXCommandAsync("xsetroot", "-solid", "#10a020");
        await server.RunXClientAsync("xterm", "-geometry", "30x8+200+250", "-bg", "#ffe0e0", "-e", "sh", "-c", "echo second; sleep 600");
        await ScreenAssert.FramebufferMatchesScreenAsync(server, session);
    }

    [Fact(Timeout = 120_000)]
    public async Task Applies_CopyRect_when_an_xterm_scrolls()
    {
        await using var server = await StartAsync(XvncSecurity.None);
        await server.RunXCommandAsync("xsetroot", "-solid", "#000040");
        await using var session = await RfbTestSession.ConnectAsync(server.Port,
            new RfbClientOptions { Security = RfbSecurityPolicy.NoAuthentication, Encodings = [RfbEncodingType.CopyRect, RfbEncodingType.Raw, .. s_pseudoEncodings] });
        await session.SettleAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(20));

        await server.RunXClientAsync("xterm", "-geometry", "60x20+20+20", "-j", "-e", "sh", "-c",
            "i=0; while [ $i -lt 120 ]; do echo scrolling line $i; i=$((i+1)); sleep 0.02; done; sleep 600");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (session.Sink.Copies.Count == 0 && DateTime.UtcNow < deadline)
        {
            await session.SettleAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(20));
        }
        Assert.True(session.Sink.Copies.Count > 0, "Xvnc sent no CopyRect while the xterm scrolled");
        await ScreenAssert.FramebufferMatchesScreenAsync(server, session);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_vnc_password_is_an_RfbSecurityException()
    {
        await using var server = await StartAsync(XvncSecurity.VncAuth);
        var e = await Assert.ThrowsAsync<RfbSecurityException>(() =>
            RfbTestSession.ConnectAsync(server.Port, new RfbClientOptions { Security = RfbSecurityPolicy.VncAuthentication, Password = "wrong!!!" }));
        Assert.Equal(RfbSecurityFailure.AuthenticationFailed, e.Kind);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_certificate_that_does_not_match_the_pin_is_refused()
    {
        await using var server = await StartAsync(XvncSecurity.X509None);
        var wrongPin = new byte[32];
        await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(() =>
            RfbTestSession.ConnectAsync(server.Port, new RfbClientOptions { Security = RfbSecurityPolicy.X509None }, wrongPin));
    }

    [Fact(Timeout = 60_000)]
    public async Task Receives_the_servers_clipboard_text()
    {
        await using var server = await StartAsync(XvncSecurity.None);
        await using var session = await RfbTestSession.ConnectAsync(server.Port, new RfbClientOptions { Security = RfbSecurityPolicy.NoAuthentication });
        await session.SettleAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(20));

        await server.RunXClientAsync("sh", "-c", "printf '%s' 'from X: grüße' | xclip -quiet -selection clipboard");
        var ev = await session.WaitForEventAsync(e => e is RfbClipboardText, TimeSpan.FromSeconds(20));

        Assert.Equal("from X: grüße", Assert.IsType<RfbClipboardText>(ev).Text);
    }

    [Fact(Timeout = 60_000)]
    public async Task Sends_clipboard_text_to_the_server()
    {
        await using var server = await StartAsync(XvncSecurity.None);
        await using var session = await RfbTestSession.ConnectAsync(server.Port, new RfbClientOptions { Security = RfbSecurityPolicy.NoAuthentication });
        await session.SettleAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(20));

        session.Client.SendClipboard("to X: ça va");
        await session.FlushAsync();
        // Xvnc may ask the client for the data (extended clipboard) while xclip waits: keep pumping.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string text;
        while (true)
        {
            var read = ProcessRunner.RunAsync(["xclip", "-o", "-selection", "clipboard"], server.ClientEnvironment, timeout: TimeSpan.FromSeconds(10));
            while (!read.IsCompleted) await session.WaitForEventAsync(_ => false, TimeSpan.FromMilliseconds(100));
            var result = await read;
            text = result.StandardOutputText;
            if ((result.ExitCode == 0 && text.Length > 0) || DateTime.UtcNow > deadline) break;
            await Task.Delay(200);
        }
        Assert.Equal("to X: ça va", text);
    }
}
