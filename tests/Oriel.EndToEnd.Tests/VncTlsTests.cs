using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Storage;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>VeNCrypt through the gateway: certificate pinning per target, and the anonymous-TLS message.</summary>
public sealed class VncTlsTests
{
    private const string User = "dave";
    private const string Password = "dave-password-12";
    private const string VncPassword = "tlspw123";

    [Fact]
    public async Task PinnedCertificateIsAcceptedAndAnotherIsRefusedWithItsFingerprint()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240, Security = [XvncSecurity.X509Vnc], VncPassword = VncPassword });
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        var actual = Convert.ToHexStringLower(xvnc.CertificateSha256!);
        var wrong = Convert.ToHexStringLower(new byte[32]);
        await gateway.AddVncTargetAsync("pinned", xvnc.Port, ["x509vnc"], password: VncPassword, tls: TlsVerification.Pinned, pin: actual);
        await gateway.AddVncTargetAsync("mispinned", xvnc.Port, ["x509vnc"], password: VncPassword, tls: TlsVerification.Pinned, pin: wrong);
        await gateway.AddVncTargetAsync("untrusted", xvnc.Port, ["x509vnc"], password: VncPassword, tls: TlsVerification.System);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using (var ok = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "pinned", cookie))
        {
            await ok.StartAsync(width: 320, height: 240);
            await ok.WaitForFramesAsync(1);
            Assert.Contains(ok.Received, m => m is PngFrame2Message);
        }

        await using (var refused = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "mispinned", cookie))
        {
            await refused.StartAsync(width: 320, height: 240);
            var error = await refused.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
            Assert.Contains("does not match the pinned fingerprint", error.Message, StringComparison.Ordinal);
            Assert.Contains(actual, error.Message, StringComparison.Ordinal);
        }

        await using (var untrusted = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "untrusted", cookie))
        {
            await untrusted.StartAsync(width: 320, height: 240);
            var error = await untrusted.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
            Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnonymousTlsGetsAClearMessage()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240, Security = [XvncSecurity.TLSVnc], VncPassword = VncPassword });
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("anon", xvnc.Port, ["tlsvnc"], password: VncPassword);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "anon", cookie);
        await client.StartAsync(width: 320, height: 240);
        var error = await client.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
        Assert.Contains("anonymous TLS", error.Message, StringComparison.Ordinal);
        Assert.Contains("X509", error.Message, StringComparison.Ordinal);
    }
}
