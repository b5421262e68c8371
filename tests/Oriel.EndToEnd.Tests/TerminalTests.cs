using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Access;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A real headless Chromium, through the real gateway, to a real OpenSSH sshd on loopback: the browser terminal
/// (xterm.js over TDP 108-112) as a person uses it: a command's output, a full-screen program and a window resize,
/// copy and paste through the system clipboard, the program's exit, colours under the gateway's CSP, the login choice.
/// </summary>
public sealed partial class TerminalTests : IAsyncLifetime
{
    private const string User = "tina";
    private const string Password = "tina-password-1";
    private const string TargetId = "shell";

    private SshdServer _sshd = null!;
    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        _sshd = await SshdServer.StartAsync();
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.CreateUserAsync(User, Password);
        await TerminalView.AddSshTargetAsync(_gateway, TargetId, _sshd);
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
        await _sshd.DisposeAsync();
    }

    private string Origin => _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Signs in (clipboard granted to the gateway's origin) and lands on the target list.</summary>
    private async Task<IPage> SignInAsync(int width = 1000, int height = 700, string user = User, string password = Password)
    {
        var context = await _chromium.NewContextAsync(grantClipboardTo: Origin,
            options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Origin + "/");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin");
        await page.WaitForSelectorAsync($"[data-target-id=\"{TargetId}\"]", new PageWaitForSelectorOptions { Timeout = TerminalView.Timeout });
        return page;
    }

    /// <summary>Signs in, opens the SSH target from the target list and waits for the shell's prompt.</summary>
    private async Task<IPage> OpenTerminalAsync(int width = 1000, int height = 700)
    {
        var page = await SignInAsync(width, height);
        await page.ClickAsync($"[data-target-id=\"{TargetId}\"] .open-target");
        await TerminalView.WaitForPromptAsync(page);
        return page;
    }

    [Fact]
    public async Task TheTerminalRunsACommandAndShowsItsOutput()
    {
        var page = await SignInAsync();
        Assert.Equal("SSH", await page.TextContentAsync($"[data-target-id=\"{TargetId}\"] .badge"));
        Assert.EndsWith($"#/terminal/{TargetId}", await page.GetAttributeAsync($"[data-target-id=\"{TargetId}\"] .open-target", "href"), StringComparison.Ordinal);
        await page.ClickAsync($"[data-target-id=\"{TargetId}\"] .open-target");
        await TerminalView.WaitForPromptAsync(page);

        await TerminalView.RunAsync(page, "echo $((6*7))");

        Assert.Equal("42", (await TerminalView.WaitForLineAsync(page, "^42$")).Trim());
        Assert.Equal($"{_sshd.User}@{TargetId}", await page.TextContentAsync("#terminal-login"));
        Assert.Equal("connected", await page.TextContentAsync("#terminal-state"));
        // The size sent to the gateway (110) is the emulator's.
        var size = await page.EvaluateAsync<int[]>("() => { const s = window.__oriel.terminal.size(); return [s.cols, s.rows]; }");
        Assert.Equal($"{size[0]}x{size[1]}", await page.GetAttributeAsync("#terminal", "data-size"));

        // About 1.3 MB of output, several times the gateway's flow-control window: it keeps coming only because the
        // browser acknowledges what xterm has parsed (111), and all of it arrives in order.
        await TerminalView.RunAsync(page, "seq 1 200000; echo END-$((2*3))");
        await TerminalView.WaitForLineAsync(page, "^END-6$", timeout: 60_000);
        var lines = (await TerminalView.TextAsync(page)).Split('\n');
        var end = Array.LastIndexOf(lines, "END-6");
        Assert.Equal(["199998", "199999", "200000"], lines[(end - 3)..end]);
        // The scrollback keeps 10 000 lines above the screen.
        Assert.InRange(lines.Length, 10_000, 10_000 + size[1]);
    }

    [Fact]
    public async Task VimOpensTheBrowserResizesAndSttySizeFollows()
    {
        var page = await OpenTerminalAsync(1000, 700);
        var before = await page.GetAttributeAsync("#terminal", "data-size");
        Assert.NotNull(before);
        await TerminalView.RunAsync(page, "echo SIZE:$(stty size)");
        await TerminalView.WaitForLineAsync(page, $"^SIZE:{Regex.Escape(SttySize(before))}$");

        await TerminalView.RunAsync(page, "vim -u NONE -N -n");
        await page.WaitForFunctionAsync("() => window.__oriel.terminal.bufferType() === 'alternate'", null, new PageWaitForFunctionOptions { Timeout = TerminalView.Timeout });

        await page.SetViewportSizeAsync(760, 480);
        var after = await TerminalView.WaitForNewSizeAsync(page, before);
        var size = await page.EvaluateAsync<int[]>("() => { const s = window.__oriel.terminal.size(); return [s.cols, s.rows]; }");
        Assert.True(size[0] < int.Parse(before.Split('x')[0], System.Globalization.CultureInfo.InvariantCulture), $"{before} -> {after}");
        // vim itself was told (SIGWINCH from the SSH window-change): it reports the new size.
        await TerminalView.RunAsync(page, ":echo 'VIMSIZE:' . &columns . 'x' . &lines");
        await TerminalView.WaitForLineAsync(page, $"^VIMSIZE:{Regex.Escape(after)}$");

        await page.Keyboard.PressAsync("Escape");
        await TerminalView.RunAsync(page, ":q!");
        await page.WaitForFunctionAsync("() => window.__oriel.terminal.bufferType() === 'normal'", null, new PageWaitForFunctionOptions { Timeout = TerminalView.Timeout });
        await TerminalView.RunAsync(page, "echo AFTER:$(stty size)");
        await TerminalView.WaitForLineAsync(page, $"^AFTER:{Regex.Escape(SttySize(after))}$");
    }

    [Fact]
    public async Task SelectingCopiesToTheClipboardAndPastingSendsItBack()
    {
        var page = await OpenTerminalAsync();
        await TerminalView.RunAsync(page, "echo MARK$((1000+234))");
        await TerminalView.WaitForLineAsync(page, "^MARK1234$");
        var at = await TerminalView.FindAsync(page, "MARK1234");
        Assert.NotNull(at);

        // Copy on select: a double click selects the word, and the selection goes to the system clipboard.
        await page.EvaluateAsync("() => navigator.clipboard.writeText('nothing yet')");
        var (x, y) = await TerminalView.CellCenterAsync(page, at.Value.Row, at.Value.Col + 2);
        await page.Mouse.DblClickAsync(x, y);
        await TerminalView.WaitForClipboardAsync(page, "MARK1234");

        // Ctrl+Shift+V pastes the clipboard into the remote shell.
        await page.Keyboard.TypeAsync("echo PASTED:");
        await page.Keyboard.PressAsync("Control+Shift+V");
        await TerminalView.WaitForLineAsync(page, "echo PASTED:MARK1234$"); // the paste reads the clipboard first
        await page.Keyboard.PressAsync("Enter");
        await TerminalView.WaitForLineAsync(page, "^PASTED:MARK1234$");

        // The Paste button does the same, without a context menu; Ctrl+Shift+C copies a selection.
        await page.EvaluateAsync("() => navigator.clipboard.writeText('from-the-button-77')");
        await page.Keyboard.TypeAsync("echo ");
        await page.ClickAsync("#terminal-paste");
        await TerminalView.WaitForLineAsync(page, "echo from-the-button-77$");
        await page.Keyboard.PressAsync("Enter");
        await TerminalView.WaitForLineAsync(page, "^from-the-button-77$");
        var word = await TerminalView.FindAsync(page, "PASTED:MARK1234");
        Assert.NotNull(word);
        (x, y) = await TerminalView.CellCenterAsync(page, word.Value.Row, word.Value.Col + 3);
        await page.Mouse.DblClickAsync(x, y);
        await TerminalView.WaitForClipboardAsync(page, "PASTED:MARK1234");
        await page.EvaluateAsync("() => navigator.clipboard.writeText('overwritten')");
        await page.Keyboard.PressAsync("Control+Shift+C");
        await TerminalView.WaitForClipboardAsync(page, "PASTED:MARK1234");
    }

    [Fact]
    public async Task SearchFindsTextInTheScrollbackAndTheFontSizeIsKept()
    {
        var page = await OpenTerminalAsync();
        await TerminalView.RunAsync(page, "seq -f 'line%g' 1 3000");
        await TerminalView.WaitForLineAsync(page, "^line3000$");
        Assert.Null(await TerminalView.FindAsync(page, "line1234")); // scrolled out of view

        await page.Keyboard.PressAsync("Control+Shift+F");
        await page.WaitForSelectorAsync("#terminal-search-input:focus", new PageWaitForSelectorOptions { Timeout = TerminalView.Timeout });
        await page.Keyboard.TypeAsync("line1234");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => /^\\d+ of 1$/.test(document.querySelector('#terminal-search-count').textContent)", null,
            new PageWaitForFunctionOptions { Timeout = TerminalView.Timeout });
        // The match is scrolled into view and selected.
        Assert.NotNull(await TerminalView.FindAsync(page, "line1234"));
        await page.Keyboard.PressAsync("Escape");
        Assert.True(await page.IsHiddenAsync("#terminal-search"));

        // Ctrl+= makes the text larger: fewer columns, sent to the gateway, and kept for the next visit.
        var before = await page.GetAttributeAsync("#terminal", "data-size");
        var font = int.Parse((await page.GetAttributeAsync("#terminal", "data-font-size"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.Keyboard.PressAsync("Control+Equal");
        await page.Keyboard.PressAsync("Control+Equal");
        Assert.Equal((font + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), await page.GetAttributeAsync("#terminal", "data-font-size"));
        var after = await TerminalView.WaitForNewSizeAsync(page, before);
        await TerminalView.RunAsync(page, "echo NOW:$(stty size)");
        await TerminalView.WaitForLineAsync(page, $"^NOW:{Regex.Escape(SttySize(after))}$");
        await page.ReloadAsync();
        await TerminalView.WaitForPromptAsync(page);
        Assert.Equal((font + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), await page.GetAttributeAsync("#terminal", "data-font-size"));
    }

    [Fact]
    public async Task TheProgramsExitIsShownAndTheSessionEndsWithTheGatewaysSentence()
    {
        var page = await OpenTerminalAsync();
        await TerminalView.RunAsync(page, "exit 3");

        await page.WaitForSelectorAsync("#terminal[data-state=\"ended\"]", new PageWaitForSelectorOptions { Timeout = TerminalView.Timeout });
        Assert.Equal("status 3", await page.GetAttributeAsync("#terminal", "data-exit"));
        await TerminalView.WaitForLineAsync(page, @"^\[.*exited with status 3\.\]$");
        Assert.Contains("status 3", await page.TextContentAsync("#terminal-exit"), StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("#terminal-overlay-reason"));
        Assert.False(string.IsNullOrWhiteSpace(await page.TextContentAsync("#terminal-overlay-reason")));
        Assert.Equal("ended", await page.TextContentAsync("#terminal-state"));
    }

    [Fact]
    public async Task ColoursAndWideCharactersShowUnderTheGatewaysContentSecurityPolicy()
    {
        using (var http = new HttpClient())
        {
            using var index = await http.GetAsync(Origin + "/");
            var csp = string.Join(";", index.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        }
        var page = await OpenTerminalAsync();

        await TerminalView.RunAsync(page, @"printf 'A\033[31mRED\033[0m B\033[38;2;10;200;30mTRUE\033[0m C\n'");
        await TerminalView.WaitForLineAsync(page, "^ARED BTRUE C$");
        // xterm's DOM renderer colours ANSI red by a class from its theme <style> element, and 24-bit colour by a style
        // attribute; the CSP refuses both inline, and the page re-applies them through the CSSOM (style-bridge.ts).
        var colours = await page.EvaluateAsync<string[]>(@"() => {
            const spans = [...document.querySelectorAll('#terminal-screen .xterm-rows span')];
            const colour = (t) => { const s = spans.find((e) => e.textContent === t); return s ? getComputedStyle(s).color : 'missing'; };
            return [colour('RED'), colour('TRUE')];
        }");
        Assert.Equal("rgb(204, 0, 0)", colours[0]);
        Assert.Equal("rgb(10, 200, 30)", colours[1]);

        // Unicode 11 widths (the unicode11 addon is active): an emoji takes two cells.
        await TerminalView.RunAsync(page, @"printf 'W:\360\237\230\200|\n'");
        await TerminalView.WaitForLineAsync(page, "^W:\U0001F600\\|$");
        var at = await TerminalView.FindAsync(page, "\U0001F600|");
        Assert.NotNull(at);
        var cells = await page.EvaluateAsync<string[]>("(row) => window.__oriel.terminal.cells(row)", at.Value.Row);
        Assert.Equal(["W", ":", "\U0001F600", "", "|"], cells.Take(5).ToArray());
    }

    [Fact]
    public async Task TheTargetListOffersTheLoginsARoleAllows()
    {
        await _gateway.Get<RoleService>().SaveAsync(new RoleRecord("ops", "logins on shells", [], [new Dictionary<string, string> { ["env"] = "ops" }],
            ClipboardRead: true, ClipboardWrite: true, Resize: true, MaxSessions: null, Declared: false) { Logins = ["deploy"] }, "tests");
        await _gateway.Get<UserService>().CreateAsync("olga", "olga-password-1", isAdmin: false, ["ops"], mustChangePassword: false, "tests");
        await TerminalView.AddSshTargetAsync(_gateway, "ops-shell", _sshd, logins: ["deploy", "backup"], label: "ops");

        var context = await _chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Origin + "/");
        await page.FillAsync("#username", "olga");
        await page.FillAsync("#password", "olga-password-1");
        await page.ClickAsync("#signin");
        var item = "[data-target-id=\"ops-shell\"]";
        await page.WaitForSelectorAsync(item + " .login-select", new PageWaitForSelectorOptions { Timeout = TerminalView.Timeout });

        // The target's own username first, then the logins both the target and the role allow ("backup" is not the role's).
        var options = await page.EvalOnSelectorAllAsync<string[]>(item + " .login-select option", "os => os.map((o) => o.value)");
        Assert.Equal([_sshd.User, "deploy"], options);
        await page.SelectOptionAsync(item + " .login-select", "deploy");
        Assert.EndsWith("#/terminal/ops-shell?login=deploy", await page.GetAttributeAsync(item + " .open-target", "href"), StringComparison.Ordinal);
        await page.ClickAsync(item + " .open-target");
        await page.WaitForSelectorAsync("#terminal", new PageWaitForSelectorOptions { Timeout = TerminalView.Timeout });
        Assert.Equal("deploy@ops-shell", await page.TextContentAsync("#terminal-login"));
    }

    /// <summary>What <c>stty size</c> prints ("ROWS COLS") for a <c>data-size</c> of "COLSxROWS".</summary>
    private static string SttySize(string dataSize)
    {
        var parts = dataSize.Split('x');
        return $"{parts[1]} {parts[0]}";
    }
}
