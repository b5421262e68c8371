using Oriel.EndToEnd.Tests.Harness;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>The remote pointer's shape reaches the browser as a cursor-shape message (102) with its hotspot.</summary>
public sealed class CursorTests
{
    [Fact]
    public async Task TheServersCursorShapeIsForwarded()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240, Security = [XvncSecurity.None] });
        // With X's default root cursor Xvnc sends an empty (hidden) cursor; give the root a real one.
        await xvnc.RunXCommandAsync("xsetroot", "-cursor_name", "crosshair");
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync("erin", "erin-password-12");
        await gateway.AddVncTargetAsync("desk", xvnc.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync("erin", "erin-password-12");

        await using var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "desk", cookie);
        await client.StartAsync(width: 320, height: 240);
        await client.WaitForFramesAsync(1);
        await client.SendAsync(new MouseMoveMessage(100, 100));
        var cursor = await client.WaitForAsync<CursorShapeMessage>(c => !c.IsHidden);
        Assert.InRange(cursor.Width, 1, 256);
        Assert.Equal(cursor.Width * cursor.Height * 4, cursor.Rgba.Length);
        Assert.True(cursor.HotspotX < cursor.Width && cursor.HotspotY < cursor.Height);
        Assert.Contains(Enumerable.Range(0, cursor.Width * cursor.Height), i => cursor.Rgba[i * 4 + 3] == 255); // some opaque pixels
    }
}
