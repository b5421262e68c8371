using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.TestPeers;
using SessionEndReason = Oriel.Gateway.Sessions.SessionEndReason;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Terminal recordings through the real gateway: a terminal protocol registered by the test (<see cref="FakeTerminal"/>,
/// <see cref="SessionMedium.Terminal"/>, under the name "rdp", which the gateway does not speak yet) runs a session over
/// the TDP WebSocket; the recorder the
/// observer factory picks by the adapter's medium writes <c>DATA/recordings/&lt;id&gt;.cast</c>, which the catalog lists
/// as kind "asciicast", the API serves (<c>application/x-asciicast</c>, Range), the video export refuses with a sentence,
/// retention deletes, and Debian's <c>asciinema play</c> plays.
/// </summary>
public sealed class AsciicastRecordingSessionTests
{
    private const string User = "terry";
    private const string Password = "terry-password-12";
    private const string Exit = "The program exited with status 0.";

    /// <summary>
    /// A terminal protocol that needs no target: at the browser's first resize it asks for a password (secret input),
    /// then greets with a character split between two output messages, echoes what is typed a line at a time, and ends
    /// with a terminal exit (112) when the line is "exit".
    /// </summary>
    private sealed class FakeTerminal : IProtocolAdapter
    {
        public string Protocol => "rdp";

        public string DisplayName => "RDP (a terminal, in this test)";

        public IReadOnlySet<string> SessionKinds { get; } = new HashSet<string> { Sessions.SessionKinds.Rendered };

        public SessionMedium Medium => SessionMedium.Terminal;

        public IRenderedSession CreateRendered(RenderedSessionContext context) => new Session(context);

        public ValueTask<IBrowserSession> CreateRelayAsync(RelaySessionContext context, CancellationToken ct) => throw new NotSupportedException();

        private sealed class Session(RenderedSessionContext context) : IRenderedSession
        {
            private ValueTask OutAsync(byte[] bytes) => context.Browser.SendAsync(new TerminalOutputMessage(bytes));

            private ValueTask OutAsync(string text) => OutAsync(Encoding.UTF8.GetBytes(text));

            public async Task RunAsync(ClientScreenSpecMessage initialScreen, RemoteResizeMode resizeMode, CancellationToken ct)
            {
                var line = new StringBuilder();
                var started = false;
                var secret = false;
                while (true)
                {
                    var message = await context.Browser.ReceiveAsync(ct) ?? throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser closed the session.");
                    if (message is TerminalResizeMessage && !started)
                    {
                        started = true;
                        await OutAsync("Password: ");
                        context.SecretInput(true);
                        secret = true;
                    }
                    else if (message is TerminalInputMessage input)
                    {
                        foreach (var c in Encoding.UTF8.GetString(input.Data))
                        {
                            if (c != '\r')
                            {
                                line.Append(c);
                                continue;
                            }
                            var typed = line.ToString();
                            line.Clear();
                            if (secret)
                            {
                                context.SecretInput(false);
                                secret = false;
                                var check = "✓"u8.ToArray(); // three bytes, sent in two messages
                                await OutAsync([.. "\r\nwelcome "u8, check[0]]);
                                await OutAsync([check[1], check[2], .. "\r\n$ "u8]);
                            }
                            else if (typed == "exit")
                            {
                                await OutAsync("exit\r\n");
                                await context.Browser.SendAsync(new TerminalExitMessage(TerminalExitKind.Exited, 0, "", Exit));
                                throw new SessionFailure(SessionEndReason.TargetClosed, Exit);
                            }
                            else
                            {
                                await OutAsync($"{typed}\r\nyou typed: {typed}\r\n$ ");
                            }
                        }
                    }
                }
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task ATerminalSession_IsRecordedAsAsciicast_ServedByTheApi_RefusedByTheExport_AndPlayedByAsciinema()
    {
        await using var gw = await StartAsync(InputRecording.Full);
        using var browser = new ApiClient(gw.BaseAddress);
        (await browser.SignInAsync(User, Password)).EnsureSuccessStatusCode();

        using (var ws = await OpenAsync(gw, browser))
        {
            await SendAsync(ws, new ClientUsernameMessage(User));
            await SendAsync(ws, new ClientScreenSpecMessage(800, 600));
            await SendAsync(ws, new TerminalResizeMessage(100, 30, 800, 600));
            Assert.Equal("Password: ", await OutputAsync(ws, "Password: "));
            await SendAsync(ws, new TerminalInputMessage("sw0rdfish\r"u8.ToArray()));
            await OutputAsync(ws, "$ ");
            await SendAsync(ws, new TerminalResizeMessage(120, 40, 960, 800));
            await SendAsync(ws, new TerminalInputMessage("hello from the recording\r"u8.ToArray()));
            await OutputAsync(ws, "you typed: hello from the recording\r\n$ ");
            await SendAsync(ws, new TerminalInputMessage("exit\r"u8.ToArray()));
            while (await ReceiveAsync(ws) is not null)
            {
            }
            Assert.Equal(Exit, ws.CloseStatusDescription);
        }
        var end = await WaitForAuditAsync(gw, AuditKinds.SessionEnd);
        var id = end.SessionId!;
        Assert.Equal(id + ".cast", end.Details!["recording"]!.GetValue<string>());

        var row = await WaitForRowAsync(gw, id);
        var path = gw.Get<RecordingPaths>().Asciicast(id);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal((RecordingStatus.Complete, "asciicast", "rdp", (long)bytes.Length), (row.Status, row.Kind, row.Protocol, row.SizeBytes));
        Assert.False(File.Exists(gw.Get<RecordingPaths>().StreamRecording(id)));

        var read = AsciicastReader.ReadAll(bytes);
        Assert.Equal((100, 30), (read.Header!.Width, read.Header.Height));
        var output = string.Concat(read.Events.Where(e => e.Code == AsciicastEventCode.Output).Select(e => e.Data));
        Assert.Equal("Password: \r\nwelcome ✓\r\n$ hello from the recording\r\nyou typed: hello from the recording\r\n$ exit\r\n", output);
        Assert.Contains(new AsciicastEvent(read.Events.Single(e => e.Code == AsciicastEventCode.Resize).TimeMicroseconds, AsciicastEventCode.Resize, "120x40"), read.Events);
        Assert.Equal(Exit, read.Events[^1] is { Code: AsciicastEventCode.Marker } marker ? marker.Data : null);
        // Input is Full for this role: what was typed is there, except the password typed while the protocol said it was secret.
        Assert.Equal("hello from the recording\rexit\r", string.Concat(read.Events.Where(e => e.Code == AsciicastEventCode.Input).Select(e => e.Data)));
        Assert.True(bytes.AsSpan().IndexOf("sw0rdfish"u8) < 0);

        // The API: listed, details without a timeline, the file itself with its media type and Range.
        var list = await browser.GetJsonAsync("/api/recordings");
        var item = list.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(("asciicast", "rdp", "complete"), (item.GetProperty("kind").GetString(), item.GetProperty("protocol").GetString(), item.GetProperty("status").GetString()));
        var details = await browser.GetJsonAsync($"/api/recordings/{id}");
        Assert.Equal(JsonValueKind.Null, details.GetProperty("timeline").ValueKind);
        Assert.Equal("asciicast", details.GetProperty("kind").GetString());
        using (var whole = await browser.Http.GetAsync($"/api/recordings/{id}/file"))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(RecordingEndpoints.AsciicastContentType, whole.Content.Headers.ContentType!.MediaType);
            Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{id}/file"))
        {
            request.Headers.Range = new RangeHeaderValue(10, 29);
            using var part = await browser.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(bytes[10..30], await part.Content.ReadAsByteArrayAsync());
        }
        using (var tdp = await browser.Http.GetAsync($"/api/recordings/{id}/tdp"))
        {
            Assert.Equal(HttpStatusCode.Conflict, tdp.StatusCode);
            Assert.Equal(AsciicastRecorder.NotDesktopSentence, (await tdp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }
        using (var export = await browser.PostJsonAsync($"/api/recordings/{id}/exports", new { format = "mp4" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, export.StatusCode);
            Assert.Equal(AsciicastRecorder.NotDesktopSentence, (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        // Debian's asciinema plays the file the gateway wrote (no terminal here: it plays without reading keys).
        var played = await ProcessRunner.RunAsync(["asciinema", "play", "--speed", "20", path], timeout: TimeSpan.FromSeconds(60));
        Assert.True(played.ExitCode == 0, $"asciinema play exited {played.ExitCode}: {played.StandardError}");
        var shown = Encoding.UTF8.GetString(played.StandardOutput);
        Assert.Contains("you typed: hello from the recording", shown, StringComparison.Ordinal);
        Assert.Contains("welcome ✓", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("sw0rdfish", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionDeletesATerminalRecordingsFile_AndAStartMarksAnUnfinishedOneIncomplete_ItsFileStillReadable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
        var dir = TestGateway.NewDataDir();
        try
        {
            var f = await RecordingServiceTests.NewAsync(dir, time);
            var permissions = RecordingServiceTests.Mode(RecordingMode.BestEffort);
            var old = (await f.Service.StartAsciicastAsync(AsciicastRecorderTests.Live(time, "01d"), AsciicastRecorderTests.Shell(), permissions, CancellationToken.None))!;
            await old.WrapSender(new RecordingTdpSender()).SendAsync(new TerminalOutputMessage("old\r\n"u8.ToArray()));
            await old.FinishAsync(SessionEndReason.UserDisconnected, "The browser left the session.");
            old.Dispose();
            time.Advance(TimeSpan.FromDays(40));

            // A gateway that stops while a session is recorded leaves a row in Recording and a file with whole lines.
            var cut = (await f.Service.StartAsciicastAsync(AsciicastRecorderTests.Live(time, "c0def"), AsciicastRecorderTests.Shell(), permissions, CancellationToken.None))!;
            cut.BrowserMessage(new TerminalResizeMessage(90, 20));
            await cut.WrapSender(new RecordingTdpSender()).SendAsync(new TerminalOutputMessage("before the stop\r\n"u8.ToArray()));
            time.Advance(RecordingFile.FlushInterval);
            Assert.Equal(1, await f.Service.AbandonUnfinishedAsync(CancellationToken.None));
            var abandoned = (await f.Store.GetRecordingAsync("c0def", CancellationToken.None))!;
            Assert.Equal((RecordingStatus.Incomplete, RecordingService.GatewayStopped), (abandoned.Status, abandoned.Problem));
            var read = AsciicastReader.ReadAll(await File.ReadAllBytesAsync(f.Paths.Asciicast("c0def")));
            Assert.Equal(["before the stop\r\n"], read.Events.Select(e => e.Data));
            cut.Dispose();

            var options = new Configuration.GatewayOptions { DataDirectory = dir, RecordingRetention = TimeSpan.FromDays(30) };
            using var playable = new PlayableRecordings(f.Paths, new Hosting.JpegSupport(null), NullLogger<PlayableRecordings>.Instance);
            var retention = new RecordingRetention(f.Store, f.Paths, playable, f.Audit, options, time, NullLogger<RecordingRetention>.Instance);
            Assert.True(File.Exists(f.Paths.Asciicast("01d")));
            Assert.Equal(1, await retention.RunAsync(CancellationToken.None));
            Assert.False(File.Exists(f.Paths.Asciicast("01d")));
            Assert.Null(await f.Store.GetRecordingAsync("01d", CancellationToken.None));
            Assert.True(File.Exists(f.Paths.Asciicast("c0def"))); // not expired
            var expired = (await f.Audit.QueryAsync(new AuditQuery { Kind = RecordingRetention.ExpiredAuditKind })).Single();
            Assert.Equal("asciicast", expired.Details!["kind"]!.GetValue<string>());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task TheObserverFactory_ChoosesTheRecordingByTheAdaptersMedium()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
        var dir = TestGateway.NewDataDir();
        try
        {
            var f = await RecordingServiceTests.NewAsync(dir, time);
            var registry = new ProtocolRegistry([new FakeTerminal(), new FakeProtocol("vnc", "VNC", SessionKinds.Rendered)]);
            var factory = new RecordingObserverFactory(f.Service, registry);
            var decision = new AccessDecision { Allowed = true, Target = AsciicastRecorderTests.Shell(), Permissions = RecordingServiceTests.Mode(RecordingMode.BestEffort) };

            var shell = new LiveSession("a1", "uid-1", "alice", "shell", "rdp", SessionKinds.Rendered, null, time.GetUtcNow());
            await using (var terminal = await factory.OpenAsync(shell, decision, CancellationToken.None))
            {
                Assert.IsType<AsciicastRecordingObserver>(terminal);
            }
            var desk = new LiveSession("b2", "uid-1", "alice", "desk", "vnc", SessionKinds.Rendered, null, time.GetUtcNow());
            await using (var desktop = await factory.OpenAsync(desk, decision with { Target = RecordingServiceTests.Desk() }, CancellationToken.None))
            {
                Assert.IsType<TdpRecordingObserver>(desktop);
            }
            Assert.Equal([("asciicast", "rdp"), ("tdp", "vnc")],
                (await f.Store.ListRecordingsAsync(new RecordingQuery(Limit: 10), CancellationToken.None)).OrderBy(r => r.Id).Select(r => (r.Kind, r.Protocol)));
            Assert.True(File.Exists(f.Paths.Asciicast("a1")));
            Assert.True(File.Exists(f.Paths.StreamRecording("b2")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<TestGateway> StartAsync(InputRecording input)
    {
        var gw = await TestGateway.StartAsync(services: s => s.AddSingleton<IProtocolAdapter, FakeTerminal>());
        var labels = new Dictionary<string, string> { ["env"] = "shells" };
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("shell", "Shell", "192.0.2.40", 22, "", labels, null, null, new UnsetTargetSettings("rdp"), false), (string?)null, "test");
        await gw.Get<RoleService>().SaveAsync(
            new RoleRecord("shell-users", "", [], [labels], false, false, true, null, false) { Recording = RecordingMode.Required, RecordInput = input, Recordings = RecordingsAccess.Own }, "test");
        await gw.Get<UserService>().CreateAsync(User, Password, false, ["shell-users"], false, "test");
        return gw;
    }

    private static async Task<ClientWebSocket> OpenAsync(TestGateway gw, ApiClient browser)
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = browser.Cookies;
        await ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}/api/sessions/shell/tdp"), CancellationToken.None);
        return ws;
    }

    private static Task SendAsync(ClientWebSocket ws, TdpMessage message) =>
        ws.SendAsync(TdpCodec.Encode(message), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    /// <summary>Terminal output received until it ends with <paramref name="ending"/>; returns all of it.</summary>
    private static async Task<string> OutputAsync(ClientWebSocket ws, string ending)
    {
        var bytes = new List<byte>();
        while (!Encoding.UTF8.GetString([.. bytes]).EndsWith(ending, StringComparison.Ordinal))
        {
            var message = await ReceiveAsync(ws) ?? throw new InvalidOperationException("the session closed");
            if (message is TerminalOutputMessage output)
            {
                bytes.AddRange(output.Data);
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>The next TDP message, or null at the gateway's close frame (answered as a browser does).</summary>
    private static async Task<TdpMessage?> ReceiveAsync(ClientWebSocket ws)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return TdpCodec.Decode(message.ToArray());
            }
        }
    }

    private static async Task<AuditEvent> WaitForAuditAsync(TestGateway gw, string kind)
    {
        for (var i = 0; i < 400; i++)
        {
            if ((await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = kind })).FirstOrDefault() is { } e)
            {
                return e;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"no {kind} audit event");
    }

    private static async Task<RecordingRecord> WaitForRowAsync(TestGateway gw, string id)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await gw.Get<IOrielStore>().GetRecordingAsync(id, CancellationToken.None) is { Status: not RecordingStatus.Recording } row)
            {
                return row;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"recording {id} did not end");
    }
}
