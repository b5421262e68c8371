using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;
using Oriel.Graphics.TurboJpeg;
using Oriel.Rfb;
using Oriel.Rfb.Replay;
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
    private const string VncPassword = "vncpw-77";

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

        // The allowed user gets RFB in binary messages, under the "binary" subprotocol, as websockify gives it:
        // the gateway's own None handshake (it logged in to the target itself), then the target's ServerInit.
        var (status, socket) = await OpenAsync(gateway.BaseAddress, "desk", cookie);
        Assert.Equal(101, status);
        using (socket)
        {
            Assert.Equal("binary", socket!.SubProtocol);
            var rfb = new RawRfb(socket);
            Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await rfb.ReadAsync(12)));
            await rfb.SendAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"));
            Assert.Equal([1, 1], await rfb.ReadAsync(2));      // one security type: None
            await rfb.SendAsync([1]);
            Assert.Equal([0, 0, 0, 0], await rfb.ReadAsync(4)); // SecurityResult OK
            await rfb.SendAsync([1]);                            // ClientInit, shared
            var (width, height, name) = await rfb.ReadServerInitAsync();
            Assert.Equal((server.Width, server.Height, "scripted"), (width, height, name));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        var start = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk", AuditKinds.SessionStart);
        Assert.Equal("passthrough", start.Details!["kind"]!.GetValue<string>());
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk");
        Assert.Equal(start.SessionId, end.SessionId);
        Assert.Equal("user-disconnected", end.Details!["reason"]!.GetValue<string>());
        Assert.Equal("None, RFB 3.8", end.Details!["targetSecurity"]!.GetValue<string>());
        Assert.True(end.Details!["bytesFromTarget"]!.GetValue<long>() >= 12 + 2 + 4 + 24 + 8);
        Assert.Equal(12 + 1 + 1, end.Details!["bytesToTarget"]!.GetValue<long>()); // the gateway's version and choice, then the viewer's ClientInit
        Assert.Equal(12 + 1 + 1, end.Details!["bytesFromBrowser"]!.GetValue<long>());
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task StockNoVncReachesAPasswordProtectedServerWithoutAPromptAndTheRecordingReplays()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 640, Height = 480, Security = [XvncSecurity.VncAuth], VncPassword = VncPassword });
        await using var gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["vnc"], password: VncPassword);
        await using var chromium = await ChromiumBrowser.LaunchAsync();

        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#6a2c70");
        await xvnc.RunXClientAsync("xterm", "-geometry", "50x10+30+40", "-bg", "#e8f6ef", "-fg", "#1b1b1b", "-e", "sh", "-c", "echo noVNC through Oriel; sleep 600");
        await Task.Delay(500);

        var origin = gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        var context = await chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, d) =>
        {
            lock (dialogs) dialogs.Add(d.Message);
            await d.DismissAsync();
        };
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
        var pageText = await page.ContentAsync();
        await context.CloseAsync();
        Assert.Empty(dialogs); // noVNC never asked for the VNC password: the gateway logged in with the stored one
        Assert.DoesNotContain(VncPassword, pageText, StringComparison.Ordinal);

        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab");
        Assert.Equal("passthrough", end.Details!["kind"]!.GetValue<string>());
        Assert.True(end.Details!["replayable"]!.GetValue<bool>());
        Assert.Equal("VNC Authentication, RFB 3.8", end.Details!["targetSecurity"]!.GetValue<string>());
        Assert.True(end.Details!["bytesFromTarget"]!.GetValue<long>() > 100, end.Details.ToJsonString());
        Assert.True(end.Details!["bytesToTarget"]!.GetValue<long>() > 20, end.Details.ToJsonString());
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));

        var file = Path.Combine(gateway.DataDir, "recordings", end.Details!["recording"]!.GetValue<string>());
        using var jpeg = TurboJpegLibrary.CreateCodec(); // the gateway kept noVNC's JPEG quality level: it has libjpeg-turbo
        var replay = RecordingReplayer.ReplayFile(file, jpeg: jpeg);
        Assert.True(replay.IsComplete);
        Assert.Equal(User, replay.Header.User);
        Assert.Equal("lab", replay.Header.TargetId);
        Assert.Equal(end.SessionId, replay.Header.SessionId);
        Assert.Contains(-26, replay.Observer.Encodings);  // noVNC's JPEG quality level is kept: Tight JPEG replays too
        Assert.Equal(1u, replay.Observer.SecurityType);         // the viewer saw the gateway's None handshake
        Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.ASCII.GetBytes(VncPassword)) < 0);
        var fb = replay.Observer.Framebuffer!;
        Assert.Equal((lastSeen.Width, lastSeen.Height), (fb.Width, fb.Height));
        var differences = lastSeen.CountDifferences(fb.Pixels, out var first);
        Assert.True(differences == 0, $"{differences} pixels differ from the last screen the user saw; first {first}");

        // The recordings catalog has the session, complete, with the file's size.
        var row = await gateway.Get<IOrielStore>().GetRecordingAsync(end.SessionId!, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal((RecordingStatus.Complete, "rfb-passthrough", "lab", "vnc", new FileInfo(file).Length),
            (row.Status, row.Kind, row.TargetId, row.Protocol, row.SizeBytes));
        Assert.Equal(User, row.UserName);
    }

    [Fact]
    public async Task AnX509TargetWithAPinnedCertificateIsReachedAndItsRecordingReplays()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240, Security = [XvncSecurity.X509Vnc], VncPassword = VncPassword });
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("tls", xvnc.Port, ["x509vnc"], password: VncPassword, tls: TlsVerification.Pinned, pin: Convert.ToHexStringLower(xvnc.CertificateSha256!));
        var cookie = await gateway.SignInCookieAsync(User, Password);
        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#2c7a70");
        await Task.Delay(300);

        var (status, socket) = await OpenAsync(gateway.BaseAddress, "tls", cookie);
        Assert.Equal(101, status);
        var live = new RfbStreamObserver();
        using (socket)
        {
            var rfb = new RawRfb(socket!, live);
            Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await rfb.ReadAsync(12)));
            await rfb.SendAsync(Encoding.ASCII.GetBytes("RFB 003.007\n")); // a 3.7 viewer: no SecurityResult for None
            Assert.Equal([1, 1], await rfb.ReadAsync(2));
            await rfb.SendAsync([1]);
            await rfb.SendAsync([1]); // ClientInit
            var (width, height, _) = await rfb.ReadServerInitAsync();
            Assert.Equal((320, 240), (width, height));
            // Raw and the Cursor pseudo-encoding (so the cursor is not drawn into the pixels), then one full update.
            await rfb.SendAsync([2, 0, 0, 2, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x11]);
            await rfb.SendAsync([3, 0, 0, 0, 0, 0, 0x01, 0x40, 0x00, 0xF0]);
            await rfb.ReadUntilAsync(() => live.UpdatesCompleted >= 1);
            await socket!.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        var screen = await xvnc.CaptureScreenAsync();
        Assert.Equal(0, screen.CountDifferences(live.Framebuffer!.Pixels, out _));

        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "tls");
        Assert.Equal("user-disconnected", end.Details!["reason"]!.GetValue<string>());
        Assert.Equal("VeNCrypt X509Vnc, RFB 3.8", end.Details!["targetSecurity"]!.GetValue<string>());
        Assert.True(end.Details!["replayable"]!.GetValue<bool>()); // the relayed stream is the decrypted one
        using var jpeg = TurboJpegLibrary.CreateCodec();
        var replay = RecordingReplayer.ReplayFile(Path.Combine(gateway.DataDir, "recordings", end.Details!["recording"]!.GetValue<string>()), jpeg: jpeg);
        Assert.Equal(RfbPhase.Normal, replay.Observer.Phase);
        var differences = screen.CountDifferences(replay.Observer.Framebuffer!.Pixels, out var first);
        Assert.True(differences == 0, $"{differences} pixels differ; first {first}");
    }

    [Fact]
    public async Task AWrongStoredPasswordClosesTheChannelWithAReasonAndIsAudited()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240, Security = [XvncSecurity.VncAuth], VncPassword = VncPassword });
        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("locked", xvnc.Port, ["vnc"], password: "not-the-password");
        var cookie = await gateway.SignInCookieAsync(User, Password);

        var (status, socket) = await OpenAsync(gateway.BaseAddress, "locked", cookie);
        Assert.Equal(101, status);
        using (socket)
        {
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var result = await socket!.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType); // the viewer got no RFB byte at all
            Assert.Equal(WebSocketCloseStatus.InternalServerError, socket.CloseStatus);
            Assert.Contains("Wrong VNC password", socket.CloseStatusDescription, StringComparison.Ordinal);
        }
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "locked");
        Assert.Equal("target-authentication-failed", end.Details!["reason"]!.GetValue<string>());
        Assert.Contains("Wrong VNC password", end.Details!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, end.Details!["bytesToBrowser"]!.GetValue<long>());
    }

    [Fact]
    public async Task RevokingAccessClosesAPassthroughSessionWithItsReason()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionRevalidationInterval = TimeSpan.FromMilliseconds(300));
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("desk", server.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        var (status, socket) = await OpenAsync(gateway.BaseAddress, "desk", cookie);
        Assert.Equal(101, status);
        using (socket)
        {
            var rfb = new RawRfb(socket!);
            Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await rfb.ReadAsync(12)));
            await rfb.SendAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"));
            Assert.Equal([1, 1], await rfb.ReadAsync(2));
            await rfb.SendAsync([1]);
            Assert.Equal([0, 0, 0, 0], await rfb.ReadAsync(4)); // SecurityResult OK
            await rfb.SendAsync([1]); // ClientInit
            await rfb.ReadServerInitAsync();

            await gateway.Get<Oriel.Gateway.Identity.UserService>().GrantAsync(User, ["e2e-users"], revoke: true, "tests");

            // The viewer reads on until the gateway's close: a close frame with the reason, not an abort.
            var buffer = new byte[64 * 1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            WebSocketReceiveResult result;
            do
            {
                result = await socket!.ReceiveAsync(buffer, timeout.Token);
            }
            while (result.MessageType != WebSocketMessageType.Close);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
            Assert.Contains("revoked", socket.CloseStatusDescription, StringComparison.Ordinal);
        }
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk");
        Assert.Equal("terminated", end.Details!["reason"]!.GetValue<string>());
    }

    /// <summary>A websockify-style RFB client over the channel: exact reads across WebSocket messages, optionally fed to an observer.</summary>
    private sealed class RawRfb(ClientWebSocket socket, RfbStreamObserver? observer = null)
    {
        private readonly List<byte> _pending = [];

        public async Task SendAsync(byte[] bytes)
        {
            observer?.Observe(RfbStreamDirection.ClientToServer, bytes);
            await socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
        }

        public async Task<byte[]> ReadAsync(int count)
        {
            while (_pending.Count < count) await ReceiveAsync();
            var bytes = _pending.GetRange(0, count).ToArray();
            _pending.RemoveRange(0, count);
            return bytes;
        }

        public async Task<(int Width, int Height, string Name)> ReadServerInitAsync()
        {
            var head = await ReadAsync(24); // width, height, pixel format (16), name length
            var nameLength = (head[20] << 24) | (head[21] << 16) | (head[22] << 8) | head[23];
            Assert.InRange(nameLength, 0, 1024);
            var name = await ReadAsync(nameLength);
            return ((head[0] << 8) | head[1], (head[2] << 8) | head[3], Encoding.UTF8.GetString(name));
        }

        public async Task ReadUntilAsync(Func<bool> done)
        {
            _pending.Clear();
            while (!done()) await ReceiveAsync();
        }

        private async Task ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var r = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.True(r.MessageType == WebSocketMessageType.Binary, $"got {r.MessageType}: {socket.CloseStatusDescription}");
            observer?.Observe(RfbStreamDirection.ServerToClient, buffer.AsSpan(0, r.Count));
            _pending.AddRange(buffer.AsSpan(0, r.Count));
        }
    }

    /// <summary>Waits until noVNC's canvas equals the server's screen at sampled points; returns that screen.</summary>
    private static Task<XImage> WaitForCanvasToMatchAsync(IPage page, XvncServer xvnc) =>
        CanvasCheck.WaitUntilCanvasMatchesAsync(page, xvnc, "#screen canvas", timeoutSeconds: 25);
}
