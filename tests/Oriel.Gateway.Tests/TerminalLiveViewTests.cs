using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Live view of a terminal session through the whole gateway, with a terminal protocol registered by the test
/// (<see cref="TerminalLiveFakeProtocol"/>): the sessions list says each session's medium and shows a user their own
/// sessions only; a watcher joining mid-session gets the terminal's size (113) and the bytes of its current screen (the
/// output since the last clear), then the live output and each resize; what the watcher sends never reaches the session;
/// the watched user is told; the view is audited and ends with the session.
/// </summary>
public sealed class TerminalLiveViewTests
{
    private const string Password = "terminal-password-12";

    [Fact]
    public async Task A_watcher_joining_mid_session_gets_the_size_and_the_screen_then_the_live_output()
    {
        var fake = new TerminalLiveFakeProtocol();
        await using var gw = await StartAsync(fake);
        using var carol = await SignInAsync(gw, "carol");
        using var dan = await SignInAsync(gw, "dan");
        using var bea = await SignInAsync(gw, "bea");

        using var user = await OpenAsync(gw, carol, "/api/sessions/shell/tdp");
        await SendAsync(user, new ClientUsernameMessage("carol"));
        await SendAsync(user, new ClientScreenSpecMessage(800, 600));
        await SendAsync(user, new TerminalResizeMessage(100, 30, 800, 600));
        string[] output = ["$ ls\r\nold listing\r\n$ clear\r\n", "\e[H\e[2J$ echo scr", "een\r\nscreen\r\n$ \e[", "1m"]; // a sequence split across messages
        foreach (var part in output)
        {
            fake.Write("carol", part);
        }
        Assert.Equal(string.Concat(output), await OutputAsync(user, Encoding.UTF8.GetByteCount(string.Concat(output))));

        using var danSession = await OpenAsync(gw, dan, "/api/sessions/shell/tdp");
        await SendAsync(danSession, new ClientUsernameMessage("dan"));
        await SendAsync(danSession, new ClientScreenSpecMessage(800, 600));
        fake.Write("dan", "dan's shell");
        Assert.Equal("dan's shell", await OutputAsync(danSession, 11));

        // The list: each user sees their own sessions only, with the medium; the watcher sees both, watchable.
        var carolsList = await carol.GetJsonAsync("/api/sessions");
        var carolsOwn = Assert.Single(carolsList.GetProperty("items").EnumerateArray());
        Assert.Equal(("carol", "terminal", "rdp", false), (carolsOwn.GetProperty("user").GetString(), carolsOwn.GetProperty("medium").GetString(),
            carolsOwn.GetProperty("protocol").GetString(), carolsOwn.GetProperty("watchable").GetBoolean()));
        Assert.False(carolsList.GetProperty("mayWatch").GetBoolean());
        var dansOwn = Assert.Single((await dan.GetJsonAsync("/api/sessions")).GetProperty("items").EnumerateArray());
        Assert.Equal("dan", dansOwn.GetProperty("user").GetString());
        var all = (await bea.GetJsonAsync("/api/sessions")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["dan", "carol"], all.Select(i => i.GetProperty("user").GetString()));
        Assert.All(all, i => Assert.Equal(("terminal", true), (i.GetProperty("medium").GetString(), i.GetProperty("watchable").GetBoolean())));
        var sessionId = carolsOwn.GetProperty("id").GetString()!;

        // A user without WatchLive may not watch.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, await StatusOfSocketAsync(gw, dan, $"/api/sessions/live/{sessionId}/watch"));

        using var watch = await OpenAsync(gw, bea, $"/api/sessions/live/{sessionId}/watch");
        Assert.Equal(new TerminalSizeMessage(100, 30), await ReceiveAsync(watch));
        const string Screen = "\e[2J$ echo screen\r\nscreen\r\n$ \e[1m"; // since the clear
        Assert.Equal(Screen, await OutputAsync(watch, Screen.Length));
        Assert.Equal(new NotificationMessage("bea is watching this session (read-only)", Severity.Info), await ReceiveAsync(user));

        // Live output follows, to both; a resize of the user's terminal reaches the watcher as 113, in order.
        fake.Write("carol", "ls\r\n");
        Assert.Equal("ls\r\n", await OutputAsync(watch, 4));
        Assert.Equal("ls\r\n", await OutputAsync(user, 4));
        await SendAsync(user, new TerminalResizeMessage(120, 40, 960, 800));
        await WaitForAsync(() => { lock (fake.Resizes) return fake.Resizes.Contains(new TerminalResizeMessage(120, 40, 960, 800)); });
        fake.Write("carol", "wide");
        Assert.Equal(new TerminalSizeMessage(120, 40), await ReceiveAsync(watch));
        Assert.Equal("wide", await OutputAsync(watch, 4));
        Assert.Equal("wide", await OutputAsync(user, 4));

        // The watcher's keys and resizes go nowhere; the user's own reach the session.
        await SendAsync(watch, new TerminalInputMessage("rm -rf /\r"u8.ToArray()));
        await SendAsync(watch, new TerminalResizeMessage(10, 5));
        await SendAsync(user, new TerminalInputMessage("exit\r"u8.ToArray()));
        await WaitForAsync(() => { lock (fake.Input) return fake.Input.Count > 0; });
        await Task.Delay(200);
        lock (fake.Input) Assert.Equal(["exit\r"], fake.Input.Select(b => Encoding.ASCII.GetString(b)));
        lock (fake.Resizes) Assert.DoesNotContain(new TerminalResizeMessage(10, 5), fake.Resizes);

        // The program exits: the watcher sees the exit, then the view closes with the session's sentence.
        // The last output and the exit (112) reach the watcher before the close.
        fake.Write("carol", "logout\r\n");
        fake.End("carol");
        Assert.Equal("logout\r\n", await OutputAsync(watch, 8));
        Assert.Equal(new TerminalExitMessage(TerminalExitKind.Exited, 0, "", ""), await ReceiveAsync(watch));
        Assert.Null(await ReceiveAsync(watch));
        Assert.Equal("The watched session ended: " + TerminalLiveFakeProtocol.EndMessage, watch.CloseStatusDescription);

        var audit = gw.Get<IAuditLog>();
        IReadOnlyList<AuditEvent> watchEvents = [];
        for (var i = 0; i < 250 && watchEvents.Count < 2; i++)
        {
            await Task.Delay(20);
            watchEvents = await audit.QueryAsync(new AuditQuery { Kind = LiveViewAuditEvents.Watch });
        }
        Assert.All(watchEvents, e => Assert.Equal(("bea", sessionId, "carol"), (e.Actor, e.SessionId, e.Details!["user"]!.GetValue<string>())));
        Assert.Equal(["end", "start"], watchEvents.Select(e => e.Details!["phase"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var end = watchEvents.Single(e => e.Details!["phase"]!.GetValue<string>() == "end");
        Assert.Equal((1, "The watched session ended: " + TerminalLiveFakeProtocol.EndMessage),
            (end.Details!["keyframes"]!.GetValue<int>(), end.Details["reason"]!.GetValue<string>()));
        fake.End("dan");
    }

    [Fact]
    public async Task A_screen_over_the_cap_replays_its_tail_and_an_alternate_screen_replays_after_the_normal_one()
    {
        var fake = new TerminalLiveFakeProtocol();
        await using var gw = await StartAsync(fake);
        using var carol = await SignInAsync(gw, "carol");
        using var bea = await SignInAsync(gw, "bea");

        using var user = await OpenAsync(gw, carol, "/api/sessions/shell/tdp");
        await SendAsync(user, new ClientUsernameMessage("carol"));
        await SendAsync(user, new ClientScreenSpecMessage(800, 600));
        // No 110 from this browser: the watcher is told the 80x24 the terminal assumes.
        var lines = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i:D6} ........\r\n")));
        fake.Write("carol", lines); // 1.1 MB, no reset: more than the 1 MiB cap
        const string Vim = "$ vim\r\n\e[?1049h\e[?25l\e[H\e[2Jvim's screen";
        fake.Write("carol", Vim);
        var sent = lines.Length + Vim.Length;
        var received = 0;
        while (received < sent)
        {
            received += ((TerminalOutputMessage)(await ReceiveAsync(user))!).Data.Length;
        }
        Assert.Equal(sent, received);

        var sessionId = (await carol.GetJsonAsync("/api/sessions")).GetProperty("items")[0].GetProperty("id").GetString()!;
        using var watch = await OpenAsync(gw, bea, $"/api/sessions/live/{sessionId}/watch");
        Assert.Equal(new TerminalSizeMessage(80, 24), await ReceiveAsync(watch));
        var normal = TerminalScreenReplay.DefaultCapacity;
        var screen = Encoding.ASCII.GetBytes(await OutputAsync(watch, normal + "\e[?1049h\e[?25l\e[2Jvim's screen".Length));
        var tail = lines.AsSpan(lines.Length + "$ vim\r\n".Length - normal).ToArray();
        Assert.Equal([.. tail, .. "$ vim\r\n\e[?1049h\e[?25l\e[2Jvim's screen"u8], screen);
        fake.End("carol");
    }

    private static async Task<TestGateway> StartAsync(TerminalLiveFakeProtocol fake)
    {
        var gw = await TestGateway.StartAsync(services: s => s.AddSingleton<IProtocolAdapter>(fake));
        var labels = new Dictionary<string, string> { ["env"] = "shells" };
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("shell", "Shell", "192.0.2.40", 22, "", labels, null, null, new UnsetTargetSettings("rdp"), false), (string?)null, "test");
        await gw.Get<RoleService>().SaveAsync(new RoleRecord("shell-users", "", [], [labels], false, false, true, null, false), "test");
        await gw.Get<RoleService>().SaveAsync(new RoleRecord("watchers", "", [], [], false, false, false, null, false) { WatchLive = true }, "test");
        await gw.Get<UserService>().CreateAsync("carol", Password, false, ["shell-users"], false, "test");
        await gw.Get<UserService>().CreateAsync("dan", Password, false, ["shell-users"], false, "test");
        await gw.Get<UserService>().CreateAsync("bea", Password, false, ["watchers"], false, "test");
        return gw;
    }

    private static async Task<ApiClient> SignInAsync(TestGateway gw, string user)
    {
        var client = new ApiClient(gw.BaseAddress);
        (await client.SignInAsync(user, Password)).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<ClientWebSocket> OpenAsync(TestGateway gw, ApiClient browser, string path)
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = browser.Cookies;
        await ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None);
        return ws;
    }

    private static async Task<System.Net.HttpStatusCode> StatusOfSocketAsync(TestGateway gw, ApiClient browser, string path)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = browser.Cookies;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None));
        return ws.HttpStatusCode;
    }

    private static Task SendAsync(ClientWebSocket ws, TdpMessage message) =>
        ws.SendAsync(TdpCodec.Encode(message), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    /// <summary>Terminal output (108) until <paramref name="bytes"/> bytes came, as text; any other message first fails the test.</summary>
    private static async Task<string> OutputAsync(ClientWebSocket ws, int bytes)
    {
        var data = new List<byte>();
        while (data.Count < bytes)
        {
            var message = await ReceiveAsync(ws);
            var output = Assert.IsType<TerminalOutputMessage>(message);
            data.AddRange(output.Data);
        }
        Assert.Equal(bytes, data.Count);
        return Encoding.UTF8.GetString([.. data]);
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

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }
        Assert.True(condition());
    }
}
