using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Identity;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>A live session ends, with a reason the user can read, when its user's access goes away.</summary>
public sealed class SessionRevocationTests
{
    private const string User = "frank";
    private const string Password = "frank-password-1";

    private static async Task<(GatewayUnderTest Gateway, ScriptedVncServer Server, string Cookie)> SetUpAsync()
    {
        var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionRevalidationInterval = TimeSpan.FromMilliseconds(300));
        await gateway.CreateUserAsync(User, Password);
        var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await gateway.AddVncTargetAsync("desk", server.Port, ["none"]);
        return (gateway, server, await gateway.SignInCookieAsync(User, Password));
    }

    [Fact]
    public async Task RevokingTheRoleEndsTheSession()
    {
        var (gateway, server, cookie) = await SetUpAsync();
        await using var _ = gateway;
        await using var __ = server;
        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "desk", cookie);
        await client.StartAsync(width: (uint)server.Width, height: (uint)server.Height);
        await client.WaitForFramesAsync(1);

        await gateway.Get<UserService>().GrantAsync(User, ["e2e-users"], revoke: true, "tests");

        var note = await client.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
        Assert.Contains("access to this target was revoked", note.Message, StringComparison.Ordinal);
        await client.WaitForCloseAsync();
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk");
        Assert.Equal("terminated", end.Details!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        var (gateway, server, cookie) = await SetUpAsync();
        await using var _ = gateway;
        await using var __ = server;
        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "desk", cookie);
        await client.StartAsync(width: (uint)server.Width, height: (uint)server.Height);
        await client.WaitForFramesAsync(1);

        await gateway.SignOutAsync(cookie);

        var note = await client.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
        Assert.Contains("signed out", note.Message, StringComparison.Ordinal);
        await client.WaitForCloseAsync();
    }

    [Fact]
    public async Task StoppingTheGatewayTellsTheUserWhy()
    {
        var (gateway, server, cookie) = await SetUpAsync();
        await using var _ = gateway;
        await using var __ = server;
        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "desk", cookie);
        await client.StartAsync(width: (uint)server.Width, height: (uint)server.Height);
        await client.WaitForFramesAsync(1);

        await gateway.App.StopAsync();

        var note = await client.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
        Assert.Contains("shutting down", note.Message, StringComparison.Ordinal);
        await client.WaitForCloseAsync();
    }
}
