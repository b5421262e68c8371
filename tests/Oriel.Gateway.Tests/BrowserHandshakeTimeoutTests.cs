using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A browser that opens a session socket and never finishes its handshake (no TDP username and screen spec;
/// a VNC viewer that never answers the RFB handshake) is told why in a WebSocket close frame, not cut off
/// with a TCP reset. The limits run on the gateway's injected clock: here a fake one that the test moves, so
/// nothing happens while it stands still and the close comes once it passes the limit.
/// </summary>
public sealed class BrowserHandshakeTimeoutTests
{
    private const string User = "carol";
    private const string Password = "carol-password-12";

    [Fact]
    public async Task ATdpBrowserThatNeverStartsTheSessionGetsACloseFrameWithTheReason()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await using var gw = await StartAsync(clock, server.Port);
        using var browser = await SignInAsync(gw);
        using var ws = await OpenAsync(gw, browser, "/api/sessions/desk/tdp");
        var received = ReceiveUntilCloseAsync(ws);

        var closedAfter = await AdvanceUntilAsync(clock, received);

        Assert.InRange(closedAfter, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40));
        var messages = await received;
        const string Reason = "The browser did not start the session within 30 s (no TDP handshake).";
        Assert.Equal(WebSocketCloseStatus.ProtocolError, ws.CloseStatus);
        Assert.Equal(Reason, ws.CloseStatusDescription);
        var notification = Assert.IsType<NotificationMessage>(Assert.Single(messages.Select(m => TdpCodec.Decode(m))));
        Assert.Equal((Reason, Severity.Error), (notification.Message, notification.Severity));
        Assert.Equal(0, server.ConnectionCount); // the target is only contacted once the browser has started
        var end = await WaitForSessionEndAsync(gw);
        Assert.Equal("browser-protocol-error", end.Details!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task AVncViewerThatNeverFinishesTheRfbHandshakeGetsACloseFrameWithTheReason()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await using var gw = await StartAsync(clock, server.Port);
        using var browser = await SignInAsync(gw);
        using var ws = await OpenAsync(gw, browser, "/api/sessions/desk/rfb");
        // The gateway logs in to the target, then plays its handshake to the viewer: ProtocolVersion first.
        // The viewer never answers.
        var version = new byte[12];
        var got = 0;
        while (got < version.Length)
        {
            var r = await ws.ReceiveAsync(version.AsMemory(got), CancellationToken.None);
            Assert.Equal(WebSocketMessageType.Binary, r.MessageType);
            got += r.Count;
        }
        Assert.Equal("RFB 003.008\n"u8.ToArray(), version);
        var received = ReceiveUntilCloseAsync(ws);

        var closedAfter = await AdvanceUntilAsync(clock, received);

        Assert.InRange(closedAfter, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40));
        Assert.Empty(await received);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, ws.CloseStatus);
        Assert.Equal("The VNC viewer did not finish the RFB handshake within 30 s.", ws.CloseStatusDescription);
        var end = await WaitForSessionEndAsync(gw);
        Assert.Equal("browser-protocol-error", end.Details!["reason"]!.GetValue<string>());
        Assert.Equal(1, server.ConnectionCount);
    }

    /// <summary>
    /// Moves the fake clock a second at a time (with a moment of real time between steps for the gateway to react)
    /// until <paramref name="closed"/> completes; returns how much fake time that took. The first step comes after a
    /// real pause, so the gateway has started its limit before the clock moves at all.
    /// </summary>
    private static async Task<TimeSpan> AdvanceUntilAsync(FakeTimeProvider clock, Task closed)
    {
        var moved = TimeSpan.Zero;
        await Task.WhenAny(closed, Task.Delay(300));
        Assert.False(closed.IsCompleted, "the session closed while the gateway's clock stood still");
        while (!closed.IsCompleted && moved < TimeSpan.FromMinutes(2))
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            moved += TimeSpan.FromSeconds(1);
            await Task.WhenAny(closed, Task.Delay(50));
        }
        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        return moved;
    }

    /// <summary>Every binary message until the gateway's close frame, which it answers as a browser does.</summary>
    private static async Task<List<byte[]>> ReceiveUntilCloseAsync(ClientWebSocket ws)
    {
        var messages = new List<byte[]>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            // A reset instead of a close frame throws here (WebSocketException), failing the test.
            var result = await ws.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return messages;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                messages.Add(message.ToArray());
                message.SetLength(0);
            }
        }
    }

    private static async Task<TestGateway> StartAsync(FakeTimeProvider clock, int vncPort)
    {
        var gw = await TestGateway.StartAsync(o => o.TimeProvider = clock);
        var labels = new Dictionary<string, string> { ["env"] = "timeouts" };
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("desk", "Desk", "127.0.0.1", vncPort, "", labels, null, null, new VncTargetSettings(["none"], TlsVerification.System, null), false), null, "test");
        await gw.Get<RoleService>().SaveAsync(new RoleRecord("desk-users", "", [], [labels], false, false, true, null, false), "test");
        await gw.Get<UserService>().CreateAsync(User, Password, false, ["desk-users"], false, "test");
        return gw;
    }

    private static async Task<ApiClient> SignInAsync(TestGateway gw)
    {
        var browser = new ApiClient(gw.BaseAddress);
        (await browser.SignInAsync(User, Password)).EnsureSuccessStatusCode();
        return browser;
    }

    private static async Task<ClientWebSocket> OpenAsync(TestGateway gw, ApiClient browser, string path)
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = browser.Cookies;
        await ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None);
        return ws;
    }

    private static async Task<AuditEvent> WaitForSessionEndAsync(TestGateway gw)
    {
        for (var i = 0; i < 100; i++)
        {
            var end = (await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionEnd })).FirstOrDefault();
            if (end is not null) return end;
            await Task.Delay(50);
        }
        throw new TimeoutException("no session.end audit event");
    }
}
