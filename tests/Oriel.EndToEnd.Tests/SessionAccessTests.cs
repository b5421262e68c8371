using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Audit;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>Who may open the TDP WebSocket, and the clear messages for a wrong password or an unreachable target.</summary>
public sealed class SessionAccessTests
{
    private const string User = "bob";
    private const string Password = "bob-password-12";

    [Fact]
    public async Task TheWebSocketOpensOnlyForASignedInAllowedUserFromTheGatewaysOrigin()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await gateway.CreateUserAsync("mallory", "mallory-password-1", role: "other", label: "elsewhere");
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await gateway.AddVncTargetAsync("desk", server.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);
        var malloryCookie = await gateway.SignInCookieAsync("mallory", "mallory-password-1");

        Assert.Equal(401, await TdpTestClient.RefusedStatusAsync(gateway.BaseAddress, "desk", cookie: null));
        Assert.Equal(403, await TdpTestClient.RefusedStatusAsync(gateway.BaseAddress, "desk", cookie, origin: "http://evil.example"));
        Assert.Equal(403, await TdpTestClient.RefusedStatusAsync(gateway.BaseAddress, "desk", malloryCookie));
        Assert.Equal(403, await TdpTestClient.RefusedStatusAsync(gateway.BaseAddress, "no-such-target", cookie));
        Assert.Equal(0, server.ConnectionCount);

        var denied = await gateway.AuditAsync(AuditKinds.SessionDenied);
        Assert.Contains(denied, e => e.Details!["reason"]!.GetValue<string>().Contains("origin", StringComparison.Ordinal));
        Assert.Contains(denied, e => e.Actor == "mallory");

        await using var ok = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "desk", cookie);
        await ok.StartAsync(width: (uint)server.Width, height: (uint)server.Height);
        await ok.WaitForFramesAsync(1);
    }

    [Fact]
    public async Task WrongVncPasswordIsToldToTheUserAndAudited()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240, Security = [XvncSecurity.VncAuth], VncPassword = "right123" });
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("locked", xvnc.Port, ["vnc"], password: "wrong123");
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "locked", cookie);
        await client.StartAsync(width: 320, height: 240);
        var error = await client.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
        Assert.Contains("Wrong VNC password", error.Message, StringComparison.Ordinal);
        await client.WaitForCloseAsync();
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "locked");
        Assert.Equal("target-authentication-failed", end.Details!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnreachableTargetIsToldToTheUser()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("gone", TestPorts.GetFreePort(), ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "gone", cookie);
        await client.StartAsync();
        var error = await client.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "gone");
        Assert.Equal("target-unreachable", end.Details!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASessionIsAuditedWithBytesEachWay()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240, Security = [XvncSecurity.VncAuth], VncPassword = "right123" });
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("desk", xvnc.Port, ["vnc"], password: "right123");
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using (var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "desk", cookie))
        {
            await client.StartAsync(width: 320, height: 240);
            var size = await client.WaitForAsync<DesktopSizeMessage>();
            Assert.Equal(320u, size.Width);
            await client.WaitForFramesAsync(1);
            Assert.Contains(client.Received, m => m is PngFrame2Message);
        }

        var start = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk", AuditKinds.SessionStart);
        Assert.Equal(User, start.Actor);
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk");
        Assert.Equal(start.SessionId, end.SessionId);
        Assert.Equal("user-disconnected", end.Details!["reason"]!.GetValue<string>());
        Assert.True(end.Details!["bytesFromTarget"]!.GetValue<long>() > 0);
        Assert.True(end.Details!["frames"]!.GetValue<long>() > 0);
        Assert.True(end.Details!["bytesToTarget"]!.GetValue<long>() > 0);
        Assert.True(end.Details!["bytesToBrowser"]!.GetValue<long>() > 0);
    }
}
