using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Identity;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// What a new user meets first, in a real headless Chromium through the real gateway to a real Xvnc:
/// the desktop takes the browser's size as it opens (or the user is told once that it cannot), the
/// clipboard panel sends what it shows, and a first password change cannot be skipped by reloading the page.
/// </summary>
public sealed class NewUserTests : IAsyncLifetime
{
    private const string User = "fiona";
    private const string Password = "fiona-password-1";
    private const string Newcomer = "gus";
    private const string InitialPassword = "gus-initial-pw-1";
    private const string NewPassword = "gus-chosen-pw-22";

    /// <summary>Xvnc's own geometry; the browser's desktop area (from a 1000x700 window) is bigger.</summary>
    private const int ServerWidth = 640;
    private const int ServerHeight = 480;

    private XvncServer _xvnc = null!;
    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        _xvnc = await XvncServer.StartAsync(new XvncOptions { Width = ServerWidth, Height = ServerHeight, Security = [XvncSecurity.None] });
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.CreateUserAsync(User, Password);
        // As an administrator creates an account with an initial password: it must be changed at the first sign-in.
        await _gateway.Get<UserService>().CreateAsync(Newcomer, InitialPassword, isAdmin: false, ["e2e-users"], mustChangePassword: true, "tests");
        await _gateway.AddVncTargetAsync("desk", _xvnc.Port, ["none"]);
        await _xvnc.RunXCommandAsync("xsetroot", "-solid", "#3a5a40", "-cursor_name", "left_ptr");
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
        await _xvnc.DisposeAsync();
    }

    private string Origin => _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);

    private async Task<IPage> SignInAsync(string user, string password)
    {
        var context = await _chromium.NewContextAsync(grantClipboardTo: Origin,
            options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Origin + "/");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin");
        return page;
    }

    private static async Task OpenDesktopAsync(IPage page)
    {
        await page.ClickAsync("[data-target-id=\"desk\"] .open-target");
        await page.WaitForSelectorAsync("#desktop[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#desktop').dataset.frames) > 0", null,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
    }

    [Fact]
    public async Task TheRemoteDesktopTakesTheBrowsersSizeWhenTheSessionOpens()
    {
        var page = await SignInAsync(User, Password);
        // Every client screen spec (TDP type 1) the page sends: the handshake's, and any resize after it.
        var screenSpecs = 0;
        page.WebSocket += (_, socket) => socket.FrameSent += (_, frame) =>
        {
            if (frame.Binary is { Length: 9 } bytes && bytes[0] == 1) Interlocked.Increment(ref screenSpecs);
        };
        await OpenDesktopAsync(page);

        var requested = (await page.GetAttributeAsync("#desktop", "data-requested-size"))!;
        Assert.NotEqual($"{ServerWidth}x{ServerHeight}", requested);
        await page.WaitForFunctionAsync("() => { const d = document.querySelector('#desktop').dataset; return d.desktopSize === d.requestedSize; }", null,
            new PageWaitForFunctionOptions { Timeout = 15_000 });

        var screen = await _xvnc.CaptureScreenAsync();
        Assert.Equal(requested, $"{screen.Width}x{screen.Height}");

        // Xvnc draws the pointer into the framebuffer until a client moves it (xwd shows none): move it to a corner.
        var box = (await (await page.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 3, box.Y + box.Height - 3);
        await CanvasCheck.WaitUntilCanvasMatchesAsync(page, _xvnc, "#desktop-canvas");
        Assert.Equal(1, Volatile.Read(ref screenSpecs)); // the size asked for as the session opened, no window resize
    }

    [Fact]
    public async Task WithResizeRemoteOffTheDesktopKeepsItsSizeAsTheSessionOpensUntilTheUserTurnsItOn()
    {
        var page = await SignInAsync(User, Password);
        // The user unchecked "Resize remote" in an earlier visit: the page keeps that in localStorage.
        await page.EvaluateAsync("() => localStorage.setItem('oriel.desktop', JSON.stringify({ resizeRemote: false }))");
        // Every TDP message the page sends (its bytes), and how many desktop sizes (103) the gateway sends it.
        var sent = new System.Collections.Concurrent.ConcurrentQueue<byte[]>();
        var desktopSizes = 0;
        page.WebSocket += (_, socket) =>
        {
            socket.FrameSent += (_, frame) =>
            {
                if (frame.Binary is { } bytes) sent.Enqueue(bytes);
            };
            socket.FrameReceived += (_, frame) =>
            {
                if (frame.Binary is { Length: 9 } bytes && bytes[0] == (byte)TdpMessageType.DesktopSize) Interlocked.Increment(ref desktopSizes);
            };
        };
        await OpenDesktopAsync(page);
        Assert.False(await page.IsCheckedAsync("#desktop-resize-remote"));
        Assert.Null(await page.GetAttributeAsync("#desktop", "data-requested-size"));

        // The handshake: username (7), resize remote (107) "keep", then the browser's size (1), which is bigger than the desktop.
        var handshake = sent.Take(3).ToArray();
        Assert.Equal((byte)TdpMessageType.ClientUsername, handshake[0][0]);
        Assert.Equal("6B00", Convert.ToHexString(handshake[1]));
        var view = Assert.IsType<ClientScreenSpecMessage>(TdpCodec.Decode(handshake[2]));
        Assert.NotEqual(((uint)ServerWidth, (uint)ServerHeight), (view.Width, view.Height));

        // A later update from Xvnc (after the point where a size asked for at open is sent) shows the desktop still
        // at its own size, and the gateway never announced another: no SetDesktopSize was asked.
        await _xvnc.RunXCommandAsync("xsetroot", "-solid", "#5a3a40");
        var box = (await (await page.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 3, box.Y + box.Height - 3);
        var kept = await CanvasCheck.WaitUntilCanvasMatchesAsync(page, _xvnc, "#desktop-canvas");
        Assert.Equal((ServerWidth, ServerHeight), (kept.Width, kept.Height));
        Assert.Equal($"{ServerWidth}x{ServerHeight}", await page.GetAttributeAsync("#desktop", "data-desktop-size"));
        Assert.Equal(1, Volatile.Read(ref desktopSizes));
        Assert.Single(sent, IsScreenSpec);

        // Checking the box resizes the desktop to the browser, as before: 107 "follow", then the size.
        await page.CheckAsync("#desktop-resize-remote");
        await page.WaitForFunctionAsync("() => { const d = document.querySelector('#desktop').dataset; return d.requestedSize !== undefined && d.desktopSize === d.requestedSize; }", null,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
        var requested = (await page.GetAttributeAsync("#desktop", "data-requested-size"))!;
        Assert.Equal($"{view.Width}x{view.Height}", requested);
        var resized = await _xvnc.CaptureScreenAsync();
        Assert.Equal(requested, $"{resized.Width}x{resized.Height}");
        var afterCheck = sent.Skip(3).Where(m => m[0] is (byte)TdpMessageType.ResizeRemote or (byte)TdpMessageType.ClientScreenSpec).ToArray();
        Assert.Equal(["6B01", Convert.ToHexString(TdpCodec.Encode(view))], afterCheck.Select(Convert.ToHexString));

        // Unchecking it mid-session leaves the size as it is, even when the window then changes size.
        await page.UncheckAsync("#desktop-resize-remote");
        await page.SetViewportSizeAsync(900, 620);
        await page.WaitForFunctionAsync("(w) => document.querySelector('.desktop-viewport').clientWidth < w", (int)view.Width);
        await Task.Delay(1000); // past the page's resize debounce (300 ms), when a screen spec would be sent
        await _xvnc.RunXCommandAsync("xsetroot", "-solid", "#3a405a");
        var still = await CanvasCheck.WaitUntilCanvasMatchesAsync(page, _xvnc, "#desktop-canvas");
        Assert.Equal(requested, $"{still.Width}x{still.Height}");
        Assert.Equal(2, sent.Count(IsScreenSpec));
        Assert.Equal("6B00", Convert.ToHexString(sent.Last(m => m[0] == (byte)TdpMessageType.ResizeRemote)));
    }

    private static bool IsScreenSpec(byte[] message) => message is { Length: 9 } && message[0] == (byte)TdpMessageType.ClientScreenSpec;

    [Fact]
    public async Task ADesktopServerThatCannotBeResizedIsReportedOnceAsTheSessionOpens()
    {
        // Its first update carries no ExtendedDesktopSize: it cannot take the browser's size.
        await using var fixedSize = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await _gateway.AddVncTargetAsync("fixed", fixedSize.Port, ["none"]);
        var cookie = await _gateway.SignInCookieAsync(User, Password);
        await using var client = await TdpTestClient.ConnectAsync(_gateway.BaseAddress, "fixed", cookie);
        await client.StartAsync(width: 800, height: 600);

        var note = await client.WaitForAsync<NotificationMessage>(n => n.Message.Contains("cannot be resized", StringComparison.Ordinal));
        Assert.Equal(Severity.Info, note.Severity);
        await client.WaitForFramesAsync(1);

        // A later window resize is not reported again, and the desktop keeps the server's size.
        await client.SendAsync(new ClientScreenSpecMessage(900, 700));
        await Task.Delay(1000);
        Assert.Single(client.Received.OfType<NotificationMessage>());
        var size = Assert.Single(client.Received.OfType<DesktopSizeMessage>());
        Assert.Equal(((uint)fixedSize.Width, (uint)fixedSize.Height), (size.Width, size.Height));
    }

    [Fact]
    public async Task SendToRemoteSendsThePanelsTextWhenThePageMayReadTheClipboard()
    {
        var page = await SignInAsync(User, Password);
        await OpenDesktopAsync(page);

        // The remote side copies some text: it shows in the panel and the page puts it in the browser clipboard.
        const string fromRemote = "copied on the remote side";
        var holder = Path.Combine(_xvnc.WorkDirectory, "clip-old.txt");
        await File.WriteAllTextAsync(holder, fromRemote);
        await _xvnc.RunXClientAsync("xclip", "-selection", "clipboard", "-i", "-quiet", holder);
        await page.WaitForFunctionAsync("(t) => window.__oriel && window.__oriel.lastClipboardFromRemote === t", fromRemote,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
        await page.WaitForFunctionAsync("async (t) => (await navigator.clipboard.readText()) === t", fromRemote,
            new PageWaitForFunctionOptions { Timeout = 10_000 });

        // The user writes something else in the panel and presses Send; the desktop gets focus back.
        const string typed = "typed in the panel: grüße";
        await page.FillAsync("#clipboard-text", typed);
        await page.ClickAsync("#clipboard-send");
        await page.WaitForFunctionAsync("() => document.activeElement === document.querySelector('#desktop-canvas')");

        // The remote clipboard holds the panel's text, and keeps it once the focus handler has read the
        // browser clipboard (which still holds the older remote text).
        Assert.Equal(typed, await WaitForRemoteClipboardAsync(typed));
        await Task.Delay(1500);
        Assert.Equal(typed, await RemoteClipboardAsync());
    }

    [Fact]
    public async Task AFirstPasswordChangeIsStillRequiredAfterAReload()
    {
        var page = await SignInAsync(Newcomer, InitialPassword);
        await page.WaitForSelectorAsync("#password-title:text('Choose a new password')", new PageWaitForSelectorOptions { Timeout = 10_000 });

        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#password-title:text('Choose a new password')", new PageWaitForSelectorOptions { Timeout = 10_000 });
        Assert.Equal(0, await page.Locator(".target-list").CountAsync());

        await page.FillAsync("#current-password", InitialPassword);
        await page.FillAsync("#new-password", NewPassword);
        await page.FillAsync("#confirm-password", NewPassword);
        await page.ClickAsync("#change-password");
        await page.WaitForSelectorAsync("[data-target-id=\"desk\"] .open-target", new PageWaitForSelectorOptions { Timeout = 10_000 });

        // Changed for good: a reload goes to the targets, not back to the password form.
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-target-id=\"desk\"] .open-target", new PageWaitForSelectorOptions { Timeout = 10_000 });
        Assert.Equal(0, await page.Locator("#password-title").CountAsync());
    }

    private async Task<string> RemoteClipboardAsync()
    {
        var result = await ProcessRunner.RunAsync(["xclip", "-o", "-selection", "clipboard"], _xvnc.ClientEnvironment, timeout: TimeSpan.FromSeconds(5));
        return result.StandardOutputText;
    }

    private async Task<string> WaitForRemoteClipboardAsync(string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var text = await RemoteClipboardAsync();
        while (text != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            text = await RemoteClipboardAsync();
        }
        return text;
    }
}
