using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A real headless Chromium, through the real gateway, to a real Xvnc: sign in, open the desktop,
/// and check what the person sees and does.
/// </summary>
public sealed class BrowserDesktopTests : IAsyncLifetime
{
    private const string User = "carol";
    private const string Password = "carol-password-1";
    private const string VncPassword = "vncpw123";

    private XvncServer _xvnc = null!;
    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;
    private ScriptedVncServer _broken = null!;

    public async Task InitializeAsync()
    {
        _xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 800, Height = 600, Security = [XvncSecurity.VncAuth], VncPassword = VncPassword });
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.CreateUserAsync(User, Password);
        await _gateway.AddVncTargetAsync("lab", _xvnc.Port, ["vnc"], password: VncPassword);
        await _gateway.AddVncTargetAsync("locked", _xvnc.Port, ["vnc"], password: "wrongpw1");
        await _gateway.AddVncTargetAsync("gone", TestPorts.GetFreePort(), ["none"]);
        _broken = ScriptedVncServer.Start(Misbehavior.RectangleOutsideFramebuffer);
        await _gateway.AddVncTargetAsync("broken", _broken.Port, ["none"]);
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
        await _broken.DisposeAsync();
        await _xvnc.DisposeAsync();
    }

    private async Task<IPage> SignInAsync(int width = 1000, int height = 700)
    {
        var origin = _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        var context = await _chromium.NewContextAsync(grantClipboardTo: origin,
            options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        return page;
    }

    [Theory]
    [InlineData("locked", "Wrong VNC password")]
    [InlineData("gone", "could not be reached")]
    [InlineData("broken", "Protocol error")]
    public async Task TheUserIsToldWhyASessionCouldNotStart(string targetId, string expected)
    {
        var page = await SignInAsync();
        await page.ClickAsync($"[data-target-id=\"{targetId}\"] .open-target");
        await page.WaitForSelectorAsync("#desktop[data-state=\"error\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        var reason = await page.TextContentAsync("#desktop-overlay-reason");
        Assert.Contains(expected, reason, StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("#desktop-overlay-reason"));
    }

    private async Task<IPage> OpenDesktopAsync(int width = 1000, int height = 700)
    {
        var origin = _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        var context = await _chromium.NewContextAsync(grantClipboardTo: origin,
            options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        await page.ClickAsync("[data-target-id=\"lab\"] .open-target");
        await page.WaitForSelectorAsync("#desktop[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#desktop').dataset.frames) > 0", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        // The remote desktop takes the browser's size as the session opens (NewUserTests checks that); wait for it.
        await page.WaitForFunctionAsync("() => { const d = document.querySelector('#desktop').dataset; return d.desktopSize === d.requestedSize; }", null,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
        // Xvnc draws the pointer into the framebuffer until a client moves it; from then on the
        // browser draws it from cursor-shape messages (and xwd, like the canvas, shows no pointer).
        var box = (await (await page.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 3, box.Y + box.Height - 3);
        return page;
    }

    private Task AssertCanvasMatchesScreenAsync(IPage page) => CanvasCheck.WaitUntilCanvasMatchesAsync(page, _xvnc, "#desktop-canvas");

    [Fact]
    public async Task SignInOpenTheDesktopAndSeeTheServersScreen()
    {
        await _xvnc.RunXCommandAsync("xsetroot", "-solid", "#2a6f97", "-cursor_name", "left_ptr");
        await _xvnc.RunXClientAsync("xterm", "-geometry", "60x12+40+30", "-bg", "#ffeeaa", "-fg", "#202020", "-e", "sh", "-c", "echo Oriel end-to-end; sleep 600");
        await _xvnc.RunXClientAsync("xclock", "-geometry", "150x150+500+300", "-update", "3600");
        var page = await OpenDesktopAsync();
        await AssertCanvasMatchesScreenAsync(page);

        // The remote cursor arrives as a cursor shape and the browser draws it (a CSS cursor image).
        // (With X's default root cursor Xvnc sends an empty cursor, hence left_ptr above.)
        await page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector('#desktop-canvas')).cursor.startsWith('url(')", null,
            new PageWaitForFunctionOptions { Timeout = 10_000 });
        var size = await page.GetAttributeAsync("#desktop", "data-desktop-size");
        var screen = await _xvnc.CaptureScreenAsync();
        Assert.Equal($"{screen.Width}x{screen.Height}", size);
    }

    [Fact]
    public async Task TypedTextAppearsInARemoteXterm()
    {
        var output = Path.Combine(_xvnc.WorkDirectory, "typed.txt");
        // Without a window manager, X focus follows the pointer: a full-screen xterm gets every key.
        await _xvnc.RunXClientAsync("env", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "xterm", "-u8", "-geometry", "200x80+0+0", "-e", "sh", "-c", $"stty -echo; cat > '{output}'");
        await Task.Delay(1000);
        var page = await OpenDesktopAsync();
        var canvas = await page.QuerySelectorAsync("#desktop-canvas");
        var box = (await canvas!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Keyboard.TypeAsync("Hello, Oriel! 42 #@");
        await page.Keyboard.PressAsync("Shift+KeyA");
        // A German layout, as the browser reports it: ü and ß on their own keys, and é typed with
        // the dead acute key (key "Dead") followed by e, which the browser composes into "é".
        await page.EvaluateAsync(@"() => {
            const c = document.querySelector('#desktop-canvas');
            const key = (type, key, code) => c.dispatchEvent(new KeyboardEvent(type, { key, code, bubbles: true, cancelable: true }));
            const tap = (k, code) => { key('keydown', k, code); key('keyup', k, code); };
            tap(' ', 'Space');
            tap('ü', 'BracketLeft');
            tap('ß', 'Minus');
            tap('Dead', 'Equal');
            tap('é', 'KeyE');
        }");
        await page.Keyboard.PressAsync("Enter");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var text = "";
        while (DateTime.UtcNow < deadline)
        {
            text = File.Exists(output) ? await File.ReadAllTextAsync(output) : "";
            if (text.Contains('\n', StringComparison.Ordinal)) break;
            await Task.Delay(200);
        }
        Assert.Equal("Hello, Oriel! 42 #@A üßé\n", text);
    }

    [Fact]
    public async Task TheMouseWheelScrollsARemoteXterm()
    {
        await _xvnc.RunXClientAsync("xterm", "-sl", "2000", "-geometry", "100x30+0+0", "-e", "sh", "-c", "seq 1 500; sleep 600");
        await Task.Delay(1500);
        var page = await OpenDesktopAsync();
        var box = (await (await page.QuerySelectorAsync("#desktop-canvas"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 60, box.Y + 60);
        await Task.Delay(500);
        var bottom = await _xvnc.CaptureScreenAsync();

        for (var i = 0; i < 3; i++)
        {
            await page.Mouse.WheelAsync(0, -120); // up
        }
        var scrolled = await WaitForScreenAsync(s => s.CountDifferences(bottom.Pixels, out _) > 0);
        Assert.True(scrolled.CountDifferences(bottom.Pixels, out _) > 0, "the wheel did not scroll the xterm back");

        for (var i = 0; i < 3; i++)
        {
            await page.Mouse.WheelAsync(0, 120); // down again
        }
        var back = await WaitForScreenAsync(s => s.CountDifferences(bottom.Pixels, out _) == 0);
        Assert.Equal(0, back.CountDifferences(bottom.Pixels, out var first));
    }

    private async Task<XImage> WaitForScreenAsync(Func<XImage, bool> condition, int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        var screen = await _xvnc.CaptureScreenAsync();
        while (!condition(screen) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            screen = await _xvnc.CaptureScreenAsync();
        }
        return screen;
    }

    [Fact]
    public async Task ClipboardTravelsBothWays()
    {
        var page = await OpenDesktopAsync();

        // Browser → remote: the clipboard panel's Send button; read back with xclip on the server.
        const string toRemote = "from the browser: grüße, 東京";
        await page.FillAsync("#clipboard-text", toRemote);
        await page.ClickAsync("#clipboard-send");
        string remote = "";
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var result = await ProcessRunner.RunAsync(["xclip", "-o", "-selection", "clipboard"], _xvnc.ClientEnvironment, timeout: TimeSpan.FromSeconds(5));
            remote = result.StandardOutputText;
            if (remote == toRemote) break;
            await Task.Delay(250);
        }
        Assert.Equal(toRemote, remote);

        // Remote → browser: a program on the server takes the clipboard.
        const string fromRemote = "from the server: çà et là";
        var holder = Path.Combine(_xvnc.WorkDirectory, "clip.txt");
        await File.WriteAllTextAsync(holder, fromRemote);
        await _xvnc.RunXClientAsync("xclip", "-selection", "clipboard", "-i", "-quiet", holder);
        await page.WaitForFunctionAsync("(t) => window.__oriel && window.__oriel.lastClipboardFromRemote === t", fromRemote,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
    }

    [Fact]
    public async Task ResizingTheBrowserResizesTheRemoteDesktop()
    {
        var page = await OpenDesktopAsync(1000, 700);
        var first = await page.GetAttributeAsync("#desktop", "data-desktop-size");
        await page.SetViewportSizeAsync(820, 560);
        await page.WaitForFunctionAsync("(before) => document.querySelector('#desktop').dataset.desktopSize !== before", first,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
        var after = (await page.GetAttributeAsync("#desktop", "data-desktop-size"))!;
        var parts = after.Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(parts[0] < 820 && parts[1] < 560, $"the remote desktop ({after}) should fit the smaller window");
        var screen = await _xvnc.CaptureScreenAsync();
        Assert.Equal(after, $"{screen.Width}x{screen.Height}");
        await AssertCanvasMatchesScreenAsync(page);
    }
}
