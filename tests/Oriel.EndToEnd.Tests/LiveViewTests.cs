using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Sessions;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// Live view in two real Chromium contexts through the real gateway to a real Xvnc: user ann works in a full-screen
/// xterm; the administrator bea watches from the sessions page. bea's canvas shows the server's screen, ann is told she
/// is watched and when it stops (a toast, and a toolbar indicator while the view is open), nothing bea types or clicks
/// reaches the desktop, bea's view closes with the reason when she may no longer watch, and ann ending her session ends
/// the view with its reason. A user without WatchLive sees only their own sessions and is refused the watch socket.
/// </summary>
public sealed class LiveViewTests : IAsyncLifetime
{
    private const string VncPassword = "vncpw123";
    private const string Ann = "ann";
    private const string AnnPassword = "ann-password-12";
    private const string Bea = "bea";
    private const string BeaPassword = "bea-password-12";
    private const string Nils = "nils";
    private const string NilsPassword = "nils-password-12";

    private XvncServer _xvnc = null!;
    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;
    private string _origin = "";

    public async Task InitializeAsync()
    {
        _xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 800, Height = 600, Security = [XvncSecurity.VncAuth], VncPassword = VncPassword });
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.CreateUserAsync(Ann, AnnPassword);
        await _gateway.CreateUserAsync(Nils, NilsPassword);
        await _gateway.Get<UserService>().CreateAsync(Bea, BeaPassword, isAdmin: true, [], mustChangePassword: false, "tests");
        await _gateway.AddVncTargetAsync("lab", _xvnc.Port, ["vnc"], password: VncPassword);
        _chromium = await ChromiumBrowser.LaunchAsync();
        _origin = _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
        await _xvnc.DisposeAsync();
    }

    private async Task<IPage> SignInAsync(string user, string password)
    {
        var context = await _chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_origin + "/");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin");
        await page.WaitForSelectorAsync("[data-target-id], #nav-sessions:not([hidden])", new PageWaitForSelectorOptions { Timeout = 15_000 });
        return page;
    }

    private static Task WaitForToastAsync(IPage page, string text) =>
        page.WaitForSelectorAsync($".toast:has-text(\"{text}\")", new PageWaitForSelectorOptions { Timeout = 15_000 });

    /// <summary>The watched user's lasting indicator on the desktop toolbar names the watcher.</summary>
    private static Task WaitForWatchedBadgeAsync(IPage page) =>
        page.WaitForSelectorAsync($"#desktop-watched:not([hidden]):has-text(\"Being watched: {Bea}\")", new PageWaitForSelectorOptions { Timeout = 15_000 });

    [Fact]
    public async Task AnAdministratorWatchesReadOnlyAndTheUserIsTold()
    {
        var typed = Path.Combine(_xvnc.WorkDirectory, "typed-live.txt");
        await _xvnc.RunXCommandAsync("xsetroot", "-solid", "#2a6f97", "-cursor_name", "left_ptr");
        // Without a window manager X focus follows the pointer: this full-screen xterm gets every key the desktop gets.
        await _xvnc.RunXClientAsync("xterm", "-geometry", "200x80+0+0", "-bg", "#ffeeaa", "-fg", "#202020", "-e", "sh", "-c", $"stty -echo; cat > '{typed}'");
        await Task.Delay(1000);

        // ann opens the desktop.
        var ann = await SignInAsync(Ann, AnnPassword);
        await ann.ClickAsync("[data-target-id=\"lab\"] .open-target");
        await ann.WaitForSelectorAsync("#desktop[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        await ann.WaitForFunctionAsync("() => { const d = document.querySelector('#desktop').dataset; return d.desktopSize && d.desktopSize === d.requestedSize; }", null,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
        var annCanvas = (await (await ann.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await ann.Mouse.MoveAsync(annCanvas.X + annCanvas.Width / 2, annCanvas.Y + annCanvas.Height / 2);
        await CanvasCheck.WaitUntilCanvasMatchesAsync(ann, _xvnc, "#desktop-canvas");
        var sessionId = _gateway.Get<SessionBroker>().Sessions.Single().Id;

        // bea finds it on the sessions page and watches.
        var bea = await SignInAsync(Bea, BeaPassword);
        await bea.ClickAsync("#nav-sessions");
        await bea.WaitForSelectorAsync($"[data-session-id=\"{sessionId}\"][data-user=\"{Ann}\"] .watch-session", new PageWaitForSelectorOptions { Timeout = 15_000 });
        await bea.ClickAsync($"[data-session-id=\"{sessionId}\"] .watch-session");
        await bea.WaitForSelectorAsync("#watch[data-state=\"watching\"]", new PageWaitForSelectorOptions { Timeout = 15_000 });

        // The watcher's picture is the server's screen (so ann's), although the screen is idle; ann is told.
        var screen = await CanvasCheck.WaitUntilCanvasMatchesAsync(bea, _xvnc, "#watch-canvas");
        Assert.Equal($"{screen.Width}x{screen.Height}", await bea.GetAttributeAsync("#watch", "data-desktop-size"));
        await WaitForToastAsync(ann, $"{Bea} is watching this session (read-only)");
        Assert.Equal(1, _gateway.Get<LiveViews>().Find(sessionId)!.WatcherCount);
        // ...and her toolbar keeps saying so while the view is open (the toast goes after a few seconds).
        await WaitForWatchedBadgeAsync(ann);

        // A change on ann's desktop reaches the watcher too.
        await _xvnc.RunXClientAsync("xclock", "-geometry", "150x150+500+300", "-update", "3600");
        await CanvasCheck.WaitUntilCanvasMatchesAsync(bea, _xvnc, "#watch-canvas");

        // Nothing bea does reaches the desktop: she clicks and types on the watched canvas...
        var beaCanvas = (await (await bea.QuerySelectorAsync("#watch-canvas"))!.BoundingBoxAsync())!;
        await bea.Mouse.MoveAsync(beaCanvas.X + 20, beaCanvas.Y + 20);
        await bea.Mouse.ClickAsync(beaCanvas.X + 20, beaCanvas.Y + 20);
        await bea.Keyboard.TypeAsync("intruder");
        await bea.Keyboard.PressAsync("Enter");
        await Task.Delay(1500);
        // ...then ann types; only ann's keys arrive.
        await ann.Mouse.MoveAsync(annCanvas.X + annCanvas.Width / 2, annCanvas.Y + annCanvas.Height / 2);
        await ann.Mouse.ClickAsync(annCanvas.X + annCanvas.Width / 2, annCanvas.Y + annCanvas.Height / 2);
        await ann.Keyboard.TypeAsync("mine");
        await ann.Keyboard.PressAsync("Enter");
        var text = await WaitForFileLineAsync(typed);
        Assert.Equal("mine\n", text);
        await CanvasCheck.WaitUntilCanvasMatchesAsync(ann, _xvnc, "#desktop-canvas");
        await CanvasCheck.WaitUntilCanvasMatchesAsync(bea, _xvnc, "#watch-canvas");

        // bea stops: ann is told, and both ends are audited.
        await bea.ClickAsync("#watch-stop");
        await WaitForToastAsync(ann, $"{Bea} stopped watching this session");
        await ann.WaitForSelectorAsync("#desktop-watched", new PageWaitForSelectorOptions { State = WaitForSelectorState.Hidden, Timeout = 15_000 });
        var start = await SessionIsolationTests.WaitForAuditAsync(_gateway, e => e.SessionId == sessionId && e.Details!["phase"]!.GetValue<string>() == "start", LiveViewAuditEvents.Watch);
        Assert.Equal(Bea, start.Actor);
        Assert.Equal(Ann, start.Details!["user"]!.GetValue<string>());
        var end = await SessionIsolationTests.WaitForAuditAsync(_gateway, e => e.SessionId == sessionId && e.Details!["phase"]!.GetValue<string>() == "end", LiveViewAuditEvents.Watch);
        Assert.Equal(Bea, end.Actor);

        // Watching again, then ann ends her session: the watcher is told why the view ended.
        await bea.ClickAsync(".tool-back");
        await bea.ClickAsync($"[data-session-id=\"{sessionId}\"] .watch-session");
        await bea.WaitForSelectorAsync("#watch[data-state=\"watching\"]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        await WaitForWatchedBadgeAsync(ann);

        // bea stops being an administrator (so may no longer watch): the next re-check closes her view with the reason,
        // audited like any end of a view, and ann's indicator goes.
        await _gateway.Get<UserService>().SetAdminAsync(Bea, isAdmin: false, "tests");
        await _gateway.Get<SessionRevalidator>().RevalidateWatchersAsync(CancellationToken.None);
        await bea.WaitForSelectorAsync("#watch[data-state=\"error\"]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        Assert.Equal(SessionRevalidator.WatchWithdrawn, await bea.TextContentAsync("#watch-status"));
        await ann.WaitForSelectorAsync("#desktop-watched", new PageWaitForSelectorOptions { State = WaitForSelectorState.Hidden, Timeout = 15_000 });
        await SessionIsolationTests.WaitForAuditAsync(_gateway,
            e => e.SessionId == sessionId && e.Details!["phase"]!.GetValue<string>() == "end" && e.Details!["reason"]!.GetValue<string>() == SessionRevalidator.WatchWithdrawn,
            LiveViewAuditEvents.Watch);

        // An administrator again, she watches once more; then ann ends her session: the watcher is told why the view ended.
        await _gateway.Get<UserService>().SetAdminAsync(Bea, isAdmin: true, "tests");
        await bea.ClickAsync(".tool-back");
        await bea.ClickAsync($"[data-session-id=\"{sessionId}\"] .watch-session");
        await bea.WaitForSelectorAsync("#watch[data-state=\"watching\"]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        await WaitForWatchedBadgeAsync(ann);
        await ann.ClickAsync("#desktop-disconnect");
        await bea.WaitForSelectorAsync("#watch[data-state=\"ended\"]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        Assert.StartsWith("The watched session ended", await bea.TextContentAsync("#watch-status"), StringComparison.Ordinal);
        Assert.Equal("mine\n", await File.ReadAllTextAsync(typed));
    }

    [Fact]
    public async Task AUserWithoutWatchLiveSeesOnlyTheirOwnSessionsAndCannotWatch()
    {
        var annCookie = await _gateway.SignInCookieAsync(Ann, AnnPassword);
        await using var annSession = await TdpTestClient.ConnectAsync(_gateway.BaseAddress, "lab", annCookie);
        await annSession.StartAsync(width: 800, height: 600);
        await annSession.WaitForFramesAsync(1);
        var sessionId = _gateway.Get<SessionBroker>().Sessions.Single().Id;

        var nilsCookie = await _gateway.SignInCookieAsync(Nils, NilsPassword);
        var nilsList = await ListAsync(nilsCookie);
        Assert.False(nilsList.GetProperty("mayWatch").GetBoolean());
        Assert.Empty(nilsList.GetProperty("items").EnumerateArray());
        Assert.Equal(403, await WatchStatusAsync(sessionId, nilsCookie));
        Assert.Equal(403, await WatchStatusAsync("no-such-session", nilsCookie));

        // ann sees her own session, not watchable by her.
        var annList = await ListAsync(annCookie);
        var own = Assert.Single(annList.GetProperty("items").EnumerateArray());
        Assert.Equal(sessionId, own.GetProperty("id").GetString());
        Assert.False(own.GetProperty("watchable").GetBoolean());

        // The administrator sees it and may watch it; an unknown session is 404, a foreign Origin 403, no sign-in 401.
        var beaCookie = await _gateway.SignInCookieAsync(Bea, BeaPassword);
        var all = Assert.Single((await ListAsync(beaCookie)).GetProperty("items").EnumerateArray());
        Assert.True(all.GetProperty("watchable").GetBoolean());
        Assert.Equal(404, await WatchStatusAsync("no-such-session", beaCookie));
        Assert.Equal(403, await WatchStatusAsync(sessionId, beaCookie, origin: "http://evil.example"));
        Assert.Equal(401, await WatchStatusAsync(sessionId, null));
        Assert.Equal(101, await WatchStatusAsync(sessionId, beaCookie));
    }

    [Fact]
    public async Task WhatAWatcherSendsNeverReachesTheDesktop()
    {
        var typed = Path.Combine(_xvnc.WorkDirectory, "typed-raw.txt");
        await _xvnc.RunXClientAsync("xterm", "-geometry", "200x80+0+0", "-e", "sh", "-c", $"stty -echo; cat > '{typed}'");
        await Task.Delay(1000);
        var annCookie = await _gateway.SignInCookieAsync(Ann, AnnPassword);
        await using var annSession = await TdpTestClient.ConnectAsync(_gateway.BaseAddress, "lab", annCookie);
        await annSession.StartAsync(width: 800, height: 600);
        await annSession.WaitForFramesAsync(1);
        await annSession.SendAsync(new Oriel.Tdp.MouseMoveMessage(400, 300)); // focus follows the pointer: into the xterm
        var sessionId = _gateway.Get<SessionBroker>().Sessions.Single().Id;

        // A watcher speaking TDP by hand: it gets the picture, then sends input of every kind, a resize and acks.
        using var watcher = new ClientWebSocket();
        watcher.Options.SetRequestHeader("Cookie", await _gateway.SignInCookieAsync(Bea, BeaPassword));
        watcher.Options.SetRequestHeader("Origin", _origin);
        await watcher.ConnectAsync(WatchUri(sessionId), CancellationToken.None);
        var buffer = new byte[1 << 20];
        var first = await watcher.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.IsType<Oriel.Tdp.DesktopSizeMessage>(Oriel.Tdp.TdpCodec.Decode(buffer.AsSpan(0, first.Count)));
        Oriel.Tdp.TdpMessage[] intrusion =
        [
            new Oriel.Tdp.ClientUsernameMessage(Bea),
            new Oriel.Tdp.ClientScreenSpecMessage(640, 480),
            new Oriel.Tdp.MouseMoveMessage(10, 10),
            new Oriel.Tdp.MouseButtonMessage(Oriel.Tdp.MouseButton.Left, Oriel.Tdp.ButtonState.Pressed),
            new Oriel.Tdp.MouseButtonMessage(Oriel.Tdp.MouseButton.Left, Oriel.Tdp.ButtonState.Released),
            new Oriel.Tdp.KeysymInputMessage('x', 0, Oriel.Tdp.KeyState.Pressed),
            new Oriel.Tdp.KeysymInputMessage('x', 0, Oriel.Tdp.KeyState.Released),
            new Oriel.Tdp.KeysymInputMessage(0xff0d, 0, Oriel.Tdp.KeyState.Pressed),
            new Oriel.Tdp.KeysymInputMessage(0xff0d, 0, Oriel.Tdp.KeyState.Released),
            new Oriel.Tdp.FrameAckMessage(1),
        ];
        foreach (var message in intrusion)
        {
            await watcher.SendAsync(Oriel.Tdp.TdpCodec.Encode(message), WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        await Task.Delay(1500);

        // ann's own keys arrive, alone; her desktop kept its size.
        foreach (var keysym in new uint[] { 'o', 'k', 0xff0d })
        {
            await annSession.SendAsync(new Oriel.Tdp.KeysymInputMessage(keysym, 0, Oriel.Tdp.KeyState.Pressed));
            await annSession.SendAsync(new Oriel.Tdp.KeysymInputMessage(keysym, 0, Oriel.Tdp.KeyState.Released));
        }
        Assert.Equal("ok\n", await WaitForFileLineAsync(typed));
        var screen = await _xvnc.CaptureScreenAsync();
        Assert.Equal((800, 600), (screen.Width, screen.Height));
        Assert.Null(annSession.CloseStatus);
        Assert.Equal(WebSocketState.Open, watcher.State);
    }

    private Uri WatchUri(string sessionId) =>
        new(_gateway.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + $"/api/sessions/live/{sessionId}/watch");

    private async Task<JsonElement> ListAsync(string cookie)
    {
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<int> WatchStatusAsync(string sessionId, string? cookie, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", origin ?? _origin);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(WatchUri(sessionId), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return 101;
    }

    private static async Task<string> WaitForFileLineAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var text = "";
        while (DateTime.UtcNow < deadline)
        {
            text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            if (text.Contains('\n', StringComparison.Ordinal)) break;
            await Task.Delay(200);
        }
        return text;
    }
}
