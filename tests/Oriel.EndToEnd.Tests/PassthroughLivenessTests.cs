using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Sessions;
using Oriel.Graphics.TurboJpeg;
using Oriel.Recording;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A passthrough session (raw RFB over /api/sessions/{id}/rfb) is watched after its handshake like a rendered one:
/// a target that stops talking ends its own session with a sentence in the close frame, in bounded time, while
/// another passthrough session goes on; an idle desktop behind stock noVNC is probed (a 1x1 non-incremental
/// update request written between the viewer's messages), answers, stays up past every limit, and the recording
/// of that probed session still replays to the screen the user saw. Servers: the scripted misbehaving one and a
/// real Xvnc (frozen with SIGSTOP, or idle); the viewers: a websockify-style client, and noVNC in Chromium.
/// </summary>
public sealed class PassthroughLivenessTests
{
    private const string User = "fran";
    private const string Password = "fran-password-12";

    private static readonly SessionTimeouts Short = new()
    {
        TargetHandshake = TimeSpan.FromSeconds(2),
        TargetSilenceBeforeProbe = TimeSpan.FromSeconds(2),
        TargetProbeAnswer = TimeSpan.FromSeconds(2),
        TargetMidMessageSilence = TimeSpan.FromSeconds(2),
    };

    /// <summary>Generous bound on how long detection may take with the short limits (4 s of them), on a loaded machine.</summary>
    private static readonly TimeSpan DetectedWithin = TimeSpan.FromSeconds(20);

    /// <summary>The probe as it crosses to the target: FramebufferUpdateRequest, non-incremental, x 0, y 0, 1x1.</summary>
    private static readonly byte[] ProbeBytes = [3, 0, 0, 0, 0, 0, 0, 1, 0, 1];

    private const string StoppedResponding = "The desktop server stopped responding (no data for ";

    [Theory]
    [InlineData(Misbehavior.StopsAnswering)]
    [InlineData(Misbehavior.StallsMidRectangle)] // the relay does not decode the target's stream: a stall mid-message is caught by the probe too
    public async Task ASilentServerEndsItsOwnPassthroughSessionWithTheReason(Misbehavior misbehavior)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionTimeouts = Short);
        await gateway.CreateUserAsync(User, Password);
        await using var good = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await using var bad = ScriptedVncServer.Start(misbehavior);
        await gateway.AddVncTargetAsync("good", good.Port, ["none"]);
        await gateway.AddVncTargetAsync("bad", bad.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        using var healthy = await ConnectAsync(gateway, "good", cookie);
        await healthy.RequestUpdateAsync();
        await healthy.ReadAtLeastAsync(4 + 12 + (good.Width * good.Height * 4));
        var healthySession = gateway.Get<SessionBroker>().Sessions.Single(s => s.TargetId == "good");
        var healthyBytesBefore = healthySession.BytesFromTarget;

        var clock = Stopwatch.StartNew();
        using var victim = await ConnectAsync(gateway, "bad", cookie);
        await victim.RequestUpdateAsync();
        var (status, reason) = await victim.ReadUntilCloseAsync(DetectedWithin);
        clock.Stop();

        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.StartsWith(StoppedResponding, reason, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3.5), DetectedWithin); // 2 s of silence, then 2 s for the probe
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "bad");
        Assert.Equal("target-unresponsive", end.Details!["reason"]!.GetValue<string>());
        Assert.Equal("passthrough", end.Details!["kind"]!.GetValue<string>());
        Assert.StartsWith(StoppedResponding, end.Details!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("It may have hung, or the network to it may have failed.", end.Details!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // The other passthrough session went on all the while: its idle server was probed, answered, and is still there.
        var deadline = Stopwatch.StartNew();
        while (healthySession.BytesFromTarget <= healthyBytesBefore)
        {
            Assert.True(deadline.Elapsed < DetectedWithin, "the healthy, idle server was not probed");
            await Task.Delay(50);
        }
        Assert.Equal(WebSocketState.Open, healthy.Socket.State);
        Assert.Equal(0, good.ClosedByClientCount);
        Assert.Contains(gateway.Get<SessionBroker>().Sessions, s => s.TargetId == "good");
    }

    [Fact]
    public async Task AServerSilentDuringTheGatewaysLoginEndsItsPassthroughSessionWithTheReason()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionTimeouts = Short);
        await gateway.CreateUserAsync(User, Password);
        await using var bad = ScriptedVncServer.Start(Misbehavior.SilentAfterAccept);
        await gateway.AddVncTargetAsync("bad", bad.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);
        const string expected = "The desktop server accepted the connection but did not finish the VNC login within 2 s.";

        // The gateway logs in to the target before it plays the viewer's handshake: the viewer gets no RFB byte, only the close.
        var clock = Stopwatch.StartNew();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", gateway.BaseAddress.GetLeftPart(UriPartial.Authority));
        socket.Options.AddSubProtocol("binary");
        var uri = new Uri(new Uri(gateway.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), "/api/sessions/bad/rfb");
        await socket.ConnectAsync(uri, CancellationToken.None);
        using (var within = new CancellationTokenSource(DetectedWithin))
        {
            var result = await socket.ReceiveAsync(new byte[256], within.Token);
            clock.Stop();
            Assert.Equal(WebSocketMessageType.Close, result.MessageType); // the viewer got no RFB byte at all
        }

        Assert.Equal(WebSocketCloseStatus.InternalServerError, socket.CloseStatus);
        Assert.StartsWith(expected, socket.CloseStatusDescription, StringComparison.Ordinal); // the whole first sentence fits in a close reason
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), DetectedWithin); // the 2 s login limit, not an earlier failure
        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "bad");
        Assert.Equal("target-unresponsive", end.Details!["reason"]!.GetValue<string>());
        Assert.Equal("passthrough", end.Details!["kind"]!.GetValue<string>());
        Assert.Equal(expected + " It may be overloaded, or not a VNC server.", end.Details!["message"]!.GetValue<string>());
        var freed = Stopwatch.StartNew();
        while (gateway.Get<SessionBroker>().Sessions.Count > 0)
        {
            Assert.True(freed.Elapsed < DetectedWithin, "the session was not removed: the user's session slot stays taken");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task AFrozenXvncEndsItsPassthroughSessionWithTheReason()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 320, Height = 240 });
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionTimeouts = Short);
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);

        using var viewer = await ConnectAsync(gateway, "lab", cookie);
        await viewer.RequestUpdateAsync();
        await viewer.ReadAtLeastAsync(4);

        var clock = Stopwatch.StartNew();
        xvnc.Process.Suspend();
        try
        {
            var (status, reason) = await viewer.ReadUntilCloseAsync(DetectedWithin);
            clock.Stop();
            Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
            Assert.StartsWith(StoppedResponding, reason, StringComparison.Ordinal);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, DetectedWithin); // its silence may have begun just before the SIGSTOP
            var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab");
            Assert.Equal("target-unresponsive", end.Details!["reason"]!.GetValue<string>());
            var freed = Stopwatch.StartNew();
            while (gateway.Get<SessionBroker>().Sessions.Count > 0)
            {
                Assert.True(freed.Elapsed < DetectedWithin, "the session was not removed: the user's session slot stays taken");
                await Task.Delay(50);
            }
        }
        finally
        {
            xvnc.Process.Resume();
        }
    }

    [Fact]
    public async Task AnIdleXvncBehindStockNoVncStaysUpIsProbedAndItsRecordingStillReplays()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 480, Height = 320 });
        await using var gateway = await GatewayUnderTest.StartAsync(withWebClient: true, configure: o => o.SessionTimeouts = Short);
        await gateway.CreateUserAsync(User, Password);
        await gateway.AddVncTargetAsync("lab", xvnc.Port, ["none"]);
        await using var chromium = await ChromiumBrowser.LaunchAsync();
        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#2c4f70");

        var page = await NoVncPage.OpenAsync(chromium, gateway, User, Password, "lab");
        await CanvasCheck.WaitUntilCanvasMatchesAsync(page, xvnc, "#screen canvas", timeoutSeconds: 25);

        // Nothing changes on the desktop for three times the longest a silent server is given (probe after 2 s, 2 s to answer).
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.Equal("connected", await page.GetAttributeAsync("body", "data-state"));
        Assert.Single(gateway.Get<SessionBroker>().Sessions);

        // noVNC took the probes' answers as ordinary updates and goes on showing the desktop.
        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#70502c");
        var lastSeen = await CanvasCheck.WaitUntilCanvasMatchesAsync(page, xvnc, "#screen canvas", timeoutSeconds: 25);
        await page.Context.CloseAsync();

        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "lab");
        Assert.Equal("user-disconnected", end.Details!["reason"]!.GetValue<string>());
        var file = Path.Combine(gateway.DataDir, "recordings", end.Details!["recording"]!.GetValue<string>());

        // The probes are in the recording's client stream, exactly as the target received them, between whole messages.
        var read = StreamRecordingReader.ReadAll(File.ReadAllBytes(file), StreamRecordingReadMode.Strict);
        var clientStream = read.Records.Where(r => r.Kind == StreamRecordKind.ClientData).SelectMany(r => r.Payload.ToArray()).ToArray();
        var probes = Count(clientStream, ProbeBytes);
        Assert.True(probes >= 3, $"{probes} probes in the recorded client stream");

        using var jpeg = TurboJpegLibrary.CreateCodec(); // noVNC asks for Tight JPEG: the recording replays with libjpeg-turbo, as in PassthroughTests
        var replay = RecordingReplayer.ReplayFile(file, jpeg: jpeg);
        Assert.True(replay.IsComplete);
        var fb = replay.Observer.Framebuffer!;
        Assert.Equal((lastSeen.Width, lastSeen.Height), (fb.Width, fb.Height));
        var differences = lastSeen.CountDifferences(fb.Pixels, out var first);
        Assert.True(differences == 0, $"{differences} pixels differ from the last screen the user saw; first {first}");
    }

    [Fact]
    public async Task AViewerInTheMiddleOfAMessageIsNotSplitByTheProbeAndItsIdleServerIsNotBlamed()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.SessionTimeouts = Short);
        await gateway.CreateUserAsync(User, Password);
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await gateway.AddVncTargetAsync("desk", server.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync(User, Password);
        var fullScreen = 4 + 12 + (server.Width * server.Height * 4); // Raw in the server's 32-bit format

        using var viewer = await ConnectAsync(gateway, "desk", cookie);
        await viewer.RequestUpdateAsync();
        await viewer.ReadAsync(fullScreen);
        // The first two bytes of a PointerEvent (type 5, button mask, x u16, y u16); the rest much later.
        await viewer.SendAsync([5, 0]);
        await Task.Delay(TimeSpan.FromSeconds(7)); // past the silence before a probe and its answer, with room to spare
        Assert.Equal(WebSocketState.Open, viewer.Socket.State);
        Assert.Single(gateway.Get<SessionBroker>().Sessions);

        await viewer.SendAsync([0, 10, 0, 20]);
        // The probe goes in right after the message ends; the scripted server answers it with the whole screen.
        await viewer.ReadAsync(fullScreen);
        await viewer.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == "desk");
        Assert.Equal("user-disconnected", end.Details!["reason"]!.GetValue<string>());
        var file = Path.Combine(gateway.DataDir, "recordings", end.Details!["recording"]!.GetValue<string>());
        var read = StreamRecordingReader.ReadAll(File.ReadAllBytes(file), StreamRecordingReadMode.Strict);
        var clientStream = read.Records.Where(r => r.Kind == StreamRecordKind.ClientData).SelectMany(r => r.Payload.ToArray()).ToArray();
        byte[] pointerThenProbe = [5, 0, 0, 10, 0, 20, .. ProbeBytes];
        var pointerAt = clientStream.AsSpan().IndexOf(pointerThenProbe);
        Assert.True(pointerAt >= 0, Convert.ToHexString(clientStream));
        // Deferred while the message was open (no probe before it), then written right after it.
        Assert.Equal(pointerAt + 6, clientStream.AsSpan().IndexOf(ProbeBytes));
    }

    private static int Count(byte[] haystack, byte[] needle)
    {
        var count = 0;
        var span = haystack.AsSpan();
        int at;
        while ((at = span.IndexOf(needle)) >= 0)
        {
            count++;
            span = span[(at + needle.Length)..];
        }
        return count;
    }

    /// <summary>Opens the channel and plays the viewer's side of the gateway's None handshake up to ServerInit.</summary>
    private static async Task<RawViewer> ConnectAsync(GatewayUnderTest gateway, string targetId, string cookie)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", gateway.BaseAddress.GetLeftPart(UriPartial.Authority));
        socket.Options.AddSubProtocol("binary");
        var uri = new Uri(new Uri(gateway.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), $"/api/sessions/{targetId}/rfb");
        await socket.ConnectAsync(uri, CancellationToken.None);
        var viewer = new RawViewer(socket);
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await viewer.ReadAsync(12)));
        await viewer.SendAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"));
        Assert.Equal([1, 1], await viewer.ReadAsync(2));
        await viewer.SendAsync([1]);
        Assert.Equal([0, 0, 0, 0], await viewer.ReadAsync(4));
        await viewer.SendAsync([1]); // ClientInit, shared
        var head = await viewer.ReadAsync(24);
        var nameLength = (head[20] << 24) | (head[21] << 16) | (head[22] << 8) | head[23];
        await viewer.ReadAsync(nameLength);
        viewer.Width = (head[0] << 8) | head[1];
        viewer.Height = (head[2] << 8) | head[3];
        return viewer;
    }

    /// <summary>A websockify-style RFB viewer: exact reads across WebSocket messages, then reading on until the gateway's close.</summary>
    private sealed class RawViewer(ClientWebSocket socket) : IDisposable
    {
        private readonly List<byte> _pending = [];

        public ClientWebSocket Socket => socket;

        public int Width { get; set; }

        public int Height { get; set; }

        public Task SendAsync(byte[] bytes) => socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

        /// <summary>A non-incremental FramebufferUpdateRequest for the whole screen, as a viewer sends first.</summary>
        public Task RequestUpdateAsync() =>
            SendAsync([3, 0, 0, 0, 0, 0, (byte)(Width >> 8), (byte)Width, (byte)(Height >> 8), (byte)Height]);

        public async Task<byte[]> ReadAsync(int count)
        {
            await ReadAtLeastAsync(count);
            var bytes = _pending.GetRange(0, count).ToArray();
            _pending.RemoveRange(0, count);
            return bytes;
        }

        public async Task ReadAtLeastAsync(int count)
        {
            while (_pending.Count < count)
            {
                var buffer = new byte[64 * 1024];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var r = await socket.ReceiveAsync(buffer, timeout.Token);
                Assert.True(r.MessageType == WebSocketMessageType.Binary, $"got {r.MessageType}: {socket.CloseStatusDescription}");
                _pending.AddRange(buffer.AsSpan(0, r.Count));
            }
        }

        /// <summary>Reads (and drops) everything until the gateway's close frame; its status and reason.</summary>
        public async Task<(WebSocketCloseStatus? Status, string? Reason)> ReadUntilCloseAsync(TimeSpan within)
        {
            var buffer = new byte[64 * 1024];
            using var timeout = new CancellationTokenSource(within);
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
            }
            while (result.MessageType != WebSocketMessageType.Close);
            return (socket.CloseStatus, socket.CloseStatusDescription);
        }

        public void Dispose() => socket.Dispose();
    }
}
