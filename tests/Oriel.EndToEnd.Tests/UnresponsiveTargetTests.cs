using System.Diagnostics;
using System.Net.WebSockets;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A VNC server that stops talking ends its own rendered session with a sentence, in bounded time, while another
/// session on the same gateway goes on; and a desktop that is merely idle is never ended for it. The servers are
/// the scripted misbehaving one (silent after the TCP accept; silent in the middle of a rectangle; silent after its
/// first update) and a real Xvnc frozen with SIGSTOP. The gateway's limits are shortened to a couple of seconds.
/// </summary>
public sealed class UnresponsiveTargetTests
{
    private const string User = "erin";
    private const string Password = "erin-password-12";

    private static readonly SessionTimeouts Short = new()
    {
        TargetHandshake = TimeSpan.FromSeconds(2),
        TargetSilenceBeforeProbe = TimeSpan.FromSeconds(2),
        TargetProbeAnswer = TimeSpan.FromSeconds(2),
        TargetMidMessageSilence = TimeSpan.FromSeconds(2),
    };

    /// <summary>Generous bound on how long detection may take with the short limits (at most 4 s of them), on a loaded machine.</summary>
    private static readonly TimeSpan DetectedWithin = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(Misbehavior.SilentAfterAccept, "The desktop server accepted the connection but did not finish the VNC handshake within 2 s.")]
    [InlineData(Misbehavior.StallsMidRectangle, "The desktop server stopped in the middle of a message (no data for 2 s).")]
    [InlineData(Misbehavior.StopsAnswering, "The desktop server stopped responding (no data for ")]
    public async Task ASilentServerEndsItsOwnSessionWithASentence(Misbehavior misbehavior, string expected)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionTimeouts = Short);
        await gateway.CreateUserAsync(User, Password);
        await using var good = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await using var bad = ScriptedVncServer.Start(misbehavior);
        await gateway.AddVncTargetAsync("good", good.Port, ["none"]);
        await gateway.AddVncTargetAsync("bad", bad.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using var healthy = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "good", cookie);
        await healthy.StartAsync(width: (uint)good.Width, height: (uint)good.Height);
        await healthy.WaitForFramesAsync(1);
        var healthyBytesBefore = HealthySession(gateway).BytesFromTarget;

        var clock = Stopwatch.StartNew();
        await using var victim = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "bad", cookie);
        await victim.StartAsync(width: (uint)bad.Width, height: (uint)bad.Height);
        var error = await victim.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error, timeoutSeconds: (int)DetectedWithin.TotalSeconds);
        await victim.WaitForCloseAsync();
        clock.Stop();

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, victim.CloseStatus);
        Assert.StartsWith(expected[..40], victim.CloseDescription, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), DetectedWithin);
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "bad");
        Assert.Equal("target-unresponsive", end.Details!["reason"]!.GetValue<string>());
        Assert.Equal(error.Message, end.Details!["message"]!.GetValue<string>());

        // The other session went on all the while, its idle server probed and answering; it is still open.
        await healthy.SendAsync(new MouseMoveMessage(3, 4));
        Assert.Null(healthy.CloseStatus);
        Assert.Equal(0, good.ClosedByClientCount);
        await WaitUntilAsync(() => HealthySession(gateway).BytesFromTarget > healthyBytesBefore, "the healthy, idle server was probed and answered");
        Assert.Null(healthy.CloseStatus);
    }

    [Fact]
    public async Task AFrozenXvncEndsItsSessionWhileAnotherGoesOn()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240 });
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionTimeouts = Short);
        await gateway.CreateUserAsync(User, Password);
        await using var good = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await gateway.AddVncTargetAsync("good", good.Port, ["none"]);
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using var healthy = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "good", cookie);
        await healthy.StartAsync(width: (uint)good.Width, height: (uint)good.Height);
        await healthy.WaitForFramesAsync(1);

        await using var victim = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "lab", cookie);
        await victim.StartAsync(width: 320, height: 240);
        await victim.WaitForFramesAsync(1);
        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#2c7061");
        await victim.SendAsync(new MouseMoveMessage(100, 100));

        var clock = Stopwatch.StartNew();
        xvnc.Process.Suspend();
        try
        {
            var error = await victim.WaitForAsync<NotificationMessage>(n => n.Severity == Severity.Error, timeoutSeconds: (int)DetectedWithin.TotalSeconds);
            await victim.WaitForCloseAsync();
            clock.Stop();
            // Frozen between messages it does not answer the probe; frozen inside an update it leaves it unfinished.
            Assert.StartsWith("The desktop server stopped ", error.Message, StringComparison.Ordinal);
            Assert.Contains("It may have hung, or the network to it may have failed.", error.Message, StringComparison.Ordinal);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, DetectedWithin);
            Assert.Equal(WebSocketCloseStatus.InternalServerError, victim.CloseStatus);
            var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab");
            Assert.Equal("target-unresponsive", end.Details!["reason"]!.GetValue<string>());
        }
        finally
        {
            xvnc.Process.Resume();
        }

        await healthy.SendAsync(new MouseMoveMessage(3, 4));
        Assert.Null(healthy.CloseStatus);
        Assert.Equal(0, good.ClosedByClientCount);
    }

    [Fact]
    public async Task AnIdleXvncDesktopStaysUpPastEveryLimit()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240 });
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionTimeouts = Short);
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "lab", cookie);
        await client.StartAsync(width: 320, height: 240);
        await client.WaitForFramesAsync(1);
        var session = Assert.Single(gateway.Get<SessionBroker>().Sessions);
        var bytesAfterFirstFrame = session.BytesFromTarget;
        var toTargetAfterFirstFrame = session.BytesToTarget;

        // Nothing changes on the desktop for three times the longest a silent server is given (probe after 2 s, 2 s to answer).
        await Task.Delay(TimeSpan.FromSeconds(12));

        Assert.Null(client.CloseStatus);
        Assert.DoesNotContain(client.Received.OfType<NotificationMessage>(), n => n.Severity == Severity.Error);
        // It was probed (1x1 non-incremental update requests, 10 bytes each) and answered every time.
        Assert.True(session.BytesToTarget >= toTargetAfterFirstFrame + 3 * 10, $"{session.BytesToTarget - toTargetAfterFirstFrame} bytes of probes");
        Assert.True(session.BytesFromTarget > bytesAfterFirstFrame);
        await client.SendAsync(new MouseMoveMessage(10, 10));
        Assert.Null(client.CloseStatus);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > DetectedWithin) throw new TimeoutException($"not within {DetectedWithin.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    private static LiveSession HealthySession(GatewayUnderTest gateway) =>
        gateway.Get<SessionBroker>().Sessions.Single(s => s.TargetId == "good");
}
