using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A misbehaving VNC server (scripted: huge lengths, rectangles outside the framebuffer, a
/// truncated stream, an unknown message) ends its own session with a clear error, while another
/// session on the same gateway keeps working.
/// </summary>
public sealed class SessionIsolationTests
{
    private const string User = "alice";
    private const string Password = "alice-password-1";

    [Theory]
    [InlineData(Misbehavior.HugeCutTextLength, "Protocol error")]
    [InlineData(Misbehavior.RectangleOutsideFramebuffer, "Protocol error")]
    [InlineData(Misbehavior.UnknownMessageType, "Protocol error")]
    [InlineData(Misbehavior.HugeNameLength, "Protocol error")]
    [InlineData(Misbehavior.TruncatedThenClose, "truncated")]
    public async Task MisbehavingServerEndsOnlyItsOwnSession(Misbehavior misbehavior, string expectedText)
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await using var good = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await using var bad = ScriptedVncServer.Start(misbehavior);
        await gateway.AddVncTargetAsync("good", good.Port, ["none"]);
        await gateway.AddVncTargetAsync("bad", bad.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using var healthy = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "good", cookie);
        await healthy.StartAsync(width: (uint)good.Width, height: (uint)good.Height);
        await healthy.WaitForFramesAsync(1);

        await using var victim = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "bad", cookie);
        await victim.StartAsync(width: (uint)bad.Width, height: (uint)bad.Height);
        var error = await victim.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
        Assert.Contains(expectedText, error.Message, StringComparison.OrdinalIgnoreCase);
        await victim.WaitForCloseAsync();
        Assert.NotEqual(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, victim.CloseStatus);

        // The other session is untouched: still open, its server connection never closed, and the
        // gateway still serves new sessions to it.
        await healthy.SendAsync(new MouseMoveMessage(3, 4));
        Assert.Equal(0, good.ClosedByClientCount);
        await using var second = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "good", cookie);
        await second.StartAsync(width: (uint)good.Width, height: (uint)good.Height);
        await second.WaitForFramesAsync(1);
        Assert.Equal(0, good.ClosedByClientCount);
        Assert.Null(healthy.CloseStatus);

        var ends = await WaitForAuditAsync(gateway, e => e.Target == "bad");
        var reason = ends.Details!["reason"]!.GetValue<string>();
        Assert.Contains(reason, new[] { "target-protocol-error", "target-closed" });
    }

    [Fact]
    public async Task MalformedBrowserMessageEndsThatSessionWithAReason()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await gateway.AddVncTargetAsync("good", server.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using var other = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "good", cookie);
        await other.StartAsync(width: (uint)server.Width, height: (uint)server.Height);
        await other.WaitForFramesAsync(1);

        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "good", cookie);
        await client.StartAsync(width: (uint)server.Width, height: (uint)server.Height);
        await client.WaitForFramesAsync(1);
        await client.SendRawAsync([0xEE, 0x00, 0x01]); // no such message type
        var error = await client.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error);
        Assert.Contains("browser sent a message", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown message type", error.Message, StringComparison.OrdinalIgnoreCase);
        await client.WaitForCloseAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.ProtocolError, client.CloseStatus);

        await other.SendAsync(new MouseMoveMessage(1, 1));
        Assert.Null(other.CloseStatus);
    }

    internal static async Task<AuditEvent> WaitForAuditAsync(GatewayUnderTest gateway, Func<AuditEvent, bool> match, string kind = AuditKinds.SessionEnd)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = (await gateway.AuditAsync(kind)).FirstOrDefault(match);
            if (found is not null) return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no {kind} audit event matched");
    }
}
