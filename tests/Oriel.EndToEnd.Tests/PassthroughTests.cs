using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Recordings;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// The passthrough channel (/api/sessions/{id}/rfb): stock noVNC in headless Chromium through the real
/// gateway to a real Xvnc, the refusals, and the recording replayed through Oriel.Rfb.
/// </summary>
public sealed class PassthroughTests
{
    private const string User = "dana";
    private const string Password = "dana-password-12";

    private static Uri RfbUri(Uri gateway, string targetId, string query = "") =>
        new(new Uri(gateway.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), $"/api/sessions/{targetId}/rfb{query}");

    private static async Task<(int Status, ClientWebSocket? Socket)> OpenAsync(Uri gateway, string targetId, string? cookie, string? origin = null, string query = "")
    {
        var socket = new ClientWebSocket();
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", origin ?? gateway.GetLeftPart(UriPartial.Authority));
        socket.Options.AddSubProtocol("binary");
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(RfbUri(gateway, targetId, query), CancellationToken.None);
            return (101, socket);
        }
        catch (WebSocketException)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            return (status, null);
        }
    }

    [Fact]
    public async Task TheChannelRefusesEveryoneButASignedInAllowedUserNamingATargetById()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await gateway.CreateUserAsync("mallory", "mallory-password-1", role: "other", label: "elsewhere");
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await gateway.AddVncTargetAsync("desk", server.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);
        var malloryCookie = await gateway.SignInCookieAsync("mallory", "mallory-password-1");

        Assert.Equal(401, (await OpenAsync(gateway.BaseAddress, "desk", cookie: null)).Status);
        Assert.Equal(403, (await OpenAsync(gateway.BaseAddress, "desk", malloryCookie)).Status);
        Assert.Equal(403, (await OpenAsync(gateway.BaseAddress, "desk", cookie, origin: "http://evil.example")).Status);
        Assert.Equal(403, (await OpenAsync(gateway.BaseAddress, "no-such-target", cookie)).Status);
        Assert.Equal(400, (await OpenAsync(gateway.BaseAddress, "desk", cookie, query: "?host=10.0.0.1&port=5900")).Status);
        Assert.Equal(400, (await OpenAsync(gateway.BaseAddress, "desk", cookie, query: "?target=127.0.0.1:22")).Status);
        Assert.Equal(0, server.ConnectionCount);

        var denied = await gateway.AuditAsync(AuditKinds.SessionDenied);
        Assert.Contains(denied, e => e.Details!["reason"]!.GetValue<string>().Contains("origin", StringComparison.Ordinal));
        Assert.Contains(denied, e => e.Actor == "mallory");
        Assert.Contains(denied, e => e.Details!["reason"]!.GetValue<string>().Contains("host, port", StringComparison.Ordinal) && e.Actor == User);

        // The allowed user gets raw RFB in binary messages, under the "binary" subprotocol, as websockify gives it.
        var (status, socket) = await OpenAsync(gateway.BaseAddress, "desk", cookie);
        Assert.Equal(101, status);
        using (socket)
        {
            Assert.Equal("binary", socket!.SubProtocol);
            var buffer = new byte[64];
            var got = 0;
            while (got < 12)
            {
                var r = await socket.ReceiveAsync(buffer.AsMemory(got), CancellationToken.None);
                Assert.Equal(WebSocketMessageType.Binary, r.MessageType);
                got += r.Count;
            }
            Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(buffer, 0, 12));
            await socket.SendAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"), WebSocketMessageType.Binary, true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        var start = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk", AuditKinds.SessionStart);
        Assert.Equal("passthrough", start.Details!["kind"]!.GetValue<string>());
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk");
        Assert.Equal(start.SessionId, end.SessionId);
        Assert.Equal("user-disconnected", end.Details!["reason"]!.GetValue<string>());
        Assert.True(end.Details!["bytesFromTarget"]!.GetValue<long>() >= 12);
        Assert.Equal(12, end.Details!["bytesToTarget"]!.GetValue<long>());
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task StockNoVncShowsTheServersScreenAndTheRecordingReplaysToIt()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 640, Height = 480, Security = [XvncSecurity.None] });
        await using var gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["none"]);
        await using var chromium = await ChromiumBrowser.LaunchAsync();

        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#6a2c70");
        await xvnc.RunXClientAsync("xterm", "-geometry", "50x10+30+40", "-bg", "#e8f6ef", "-fg", "#1b1b1b", "-e", "sh", "-c", "echo noVNC through Oriel; sleep 600");
        await Task.Delay(500);

        var origin = gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        var context = await chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        var consoleLog = new List<string>();
        page.Console += (_, m) =>
        {
            lock (consoleLog) consoleLog.Add($"{m.Type}: {m.Text}");
            if (m.Type == "error") consoleErrors.Add(m.Text);
        };
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        // The target list offers noVNC beside the built-in viewer.
        await page.ClickAsync("[data-target-id=\"lab\"] .open-novnc");
        await page.WaitForURLAsync("**/novnc/?target=lab");
        try
        {
            await page.WaitForSelectorAsync("body[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"noVNC did not connect; status: {await page.TextContentAsync("#status")}; console: {string.Join(" | ", consoleLog)}");
        }

        var lastSeen = await WaitForCanvasToMatchAsync(page, xvnc);
        await context.CloseAsync();

        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab");
        Assert.Equal("passthrough", end.Details!["kind"]!.GetValue<string>());
        Assert.True(end.Details!["replayable"]!.GetValue<bool>());
        Assert.True(end.Details!["bytesFromTarget"]!.GetValue<long>() > 100, end.Details.ToJsonString());
        Assert.True(end.Details!["bytesToTarget"]!.GetValue<long>() > 20, end.Details.ToJsonString());
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));

        var file = Path.Combine(gateway.DataDir, "recordings", end.Details!["recording"]!.GetValue<string>());
        var replay = RecordingReplayer.ReplayFile(file);
        Assert.True(replay.IsComplete);
        Assert.Equal(User, replay.Header.User);
        Assert.Equal("lab", replay.Header.TargetId);
        Assert.Equal(end.SessionId, replay.Header.SessionId);
        Assert.DoesNotContain(-26, replay.Observer.Encodings);  // noVNC's JPEG quality level was filtered out
        var fb = replay.Observer.Framebuffer!;
        Assert.Equal((lastSeen.Width, lastSeen.Height), (fb.Width, fb.Height));
        var differences = lastSeen.CountDifferences(fb.Pixels, out var first);
        Assert.True(differences == 0, $"{differences} pixels differ from the last screen the user saw; first {first}");
    }

    /// <summary>Waits until noVNC's canvas equals the server's screen at sampled points; returns that screen.</summary>
    private static async Task<XImage> WaitForCanvasToMatchAsync(IPage page, XvncServer xvnc)
    {
        var report = "";
        var deadline = DateTime.UtcNow.AddSeconds(25);
        while (DateTime.UtcNow < deadline)
        {
            var screen = await xvnc.CaptureScreenAsync();
            var points = new List<int[]>();
            for (var gy = 0; gy < 24; gy++)
            {
                for (var gx = 0; gx < 32; gx++)
                {
                    points.Add([gx * (screen.Width - 1) / 31, gy * (screen.Height - 1) / 23]);
                }
            }
            var json = await page.EvaluateAsync<JsonElement>(@"(points) => {
                const c = document.querySelector('#screen canvas');
                if (!c) return { w: 0, h: 0, px: [] };
                const ctx = c.getContext('2d');
                const img = ctx.getImageData(0, 0, c.width, c.height).data;
                return { w: c.width, h: c.height, px: points.map(([x, y]) => { const i = (y * c.width + x) * 4; return (img[i] << 16) | (img[i+1] << 8) | img[i+2]; }) };
            }", points);
            var w = json.GetProperty("w").GetInt32();
            var h = json.GetProperty("h").GetInt32();
            var px = json.GetProperty("px").EnumerateArray().Select(e => (uint)e.GetInt32()).ToArray();
            if (w != screen.Width || h != screen.Height)
            {
                report = $"canvas {w}x{h} but screen {screen.Width}x{screen.Height}";
            }
            else
            {
                var bad = points.Select((p, i) => (p, expected: screen.At(p[0], p[1]), actual: px[i])).Where(t => t.expected != t.actual).ToList();
                if (bad.Count == 0) return screen;
                report = $"{bad.Count} of {points.Count} samples differ, first at ({bad[0].p[0]},{bad[0].p[1]}): screen {bad[0].expected:X6}, canvas {bad[0].actual:X6}";
            }
            await Task.Delay(250);
        }
        Assert.Fail("noVNC's canvas never matched the server's screen: " + report);
        return null!;
    }
}
