using System.Text;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// Live view of an SSH terminal in real Chromium, through the real gateway and its SSH adapter to a real OpenSSH sshd:
/// ann works in a shell (a TDP terminal client, as her browser would be); the administrator bea finds the session on the
/// sessions page (shown as a terminal) and watches it. bea's read-only terminal has ann's size and shows her screen since
/// she last cleared it (not what came before), then what ann does next, and follows her resize; what bea types goes
/// nowhere; the session's end ends the view with its reason.
/// </summary>
public sealed class TerminalLiveViewBrowserTests : IAsyncLifetime
{
    private const string Ann = "ann";
    private const string AnnPassword = "ann-password-12";
    private const string Bea = "bea";
    private const string BeaPassword = "bea-password-12";

    private SshdServer _sshd = null!;
    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;
    private string _origin = "";

    public async Task InitializeAsync()
    {
        _sshd = await SshdServer.StartAsync();
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.CreateUserAsync(Ann, AnnPassword);
        await _gateway.Get<UserService>().CreateAsync(Bea, BeaPassword, isAdmin: true, [], mustChangePassword: false, "tests");
        var target = new TargetRecord("shell", "shell", "127.0.0.1", _sshd.Port, "test shell", new Dictionary<string, string> { ["env"] = "e2e" },
            _sshd.User, null, new SshTargetSettings([], TrustOnFirstUse: true), Declared: false);
        await _gateway.Get<TargetService>().SaveAsync(target, SshdServer.Password, "tests");
        _chromium = await ChromiumBrowser.LaunchAsync();
        _origin = _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
        await _sshd.DisposeAsync();
    }

    [Fact]
    public async Task AnAdministratorWatchesAnSshTerminalReadOnly()
    {
        // ann's shell: she computes something, clears the screen, and writes one more line.
        await using var ann = await TdpTestClient.ConnectAsync(_gateway.BaseAddress, "shell", await _gateway.SignInCookieAsync(Ann, AnnPassword));
        await ann.StartAsync(Ann, 800, 600);
        await ann.SendAsync(new TerminalResizeMessage(90, 25, 720, 500));
        await WaitForOutputAsync(ann, "$ "); // the shell's prompt: it reads what is typed from now on
        await TypeAsync(ann, "echo before-$((6*7))-clear\r");
        await WaitForOutputAsync(ann, "before-42-clear");
        await TypeAsync(ann, "printf '\\033[H\\033[2J'; echo on-the-$((2+3))-screen\r");
        await WaitForOutputAsync(ann, "on-the-5-screen");
        var sessionId = _gateway.Get<SessionBroker>().Sessions.Single().Id;

        // bea finds it on the sessions page, shown as a terminal, and watches.
        var bea = await SignInAsync(Bea, BeaPassword);
        await bea.ClickAsync("#nav-sessions");
        var row = $"[data-session-id=\"{sessionId}\"][data-user=\"{Ann}\"][data-medium=\"terminal\"]";
        await bea.WaitForSelectorAsync($"{row} .watch-session", new PageWaitForSelectorOptions { Timeout = 15_000 });
        Assert.Equal("Terminal", (await bea.InnerTextAsync($"{row} .session-medium")).Trim());
        await bea.ClickAsync($"{row} .watch-session");
        await bea.WaitForSelectorAsync("#watch[data-state=\"watching\"][data-medium=\"terminal\"][data-terminal-size=\"90x25\"]",
            new PageWaitForSelectorOptions { Timeout = 15_000 });

        // The screen since the clear, not what came before it; the terminal has ann's grid.
        await WaitForScreenAsync(bea, "on-the-5-screen");
        Assert.DoesNotContain("before-42-clear", await ScreenAsync(bea), StringComparison.Ordinal);
        Assert.Equal(25, await bea.EvaluateAsync<int>("() => document.querySelector('#watch-terminal .xterm-rows').children.length"));
        await WaitForOutputAsync(ann, $"{Bea} is watching", notice: true);

        // What ann does next reaches bea, laid out on the same grid: 95 characters wrap after 90.
        await TypeAsync(ann, "printf '%095d\\n' 0; echo after-$((3*3))-join\r");
        await WaitForScreenAsync(bea, "after-9-join");
        var rows = (await ScreenAsync(bea)).Split('\n');
        var wrapped = Array.FindIndex(rows, r => r.TrimEnd() == new string('0', 90));
        Assert.True(wrapped >= 0 && rows[wrapped + 1].TrimEnd() == "00000", string.Join('\n', rows));
        await ann.SendAsync(new TerminalResizeMessage(100, 30, 800, 600));
        await bea.WaitForSelectorAsync("#watch[data-terminal-size=\"100x30\"]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        await TypeAsync(ann, "stty size\r");
        await WaitForScreenAsync(bea, "30 100");

        // bea's keys go nowhere: not to ann's shell, not onto the watched screen.
        await bea.ClickAsync("#watch-terminal");
        await bea.Keyboard.TypeAsync("echo intruder\n");
        await Task.Delay(1500);
        await TypeAsync(ann, "echo still-$((4+4))-alone\r");
        await WaitForScreenAsync(bea, "still-8-alone");
        Assert.DoesNotContain("intruder", Output(ann), StringComparison.Ordinal);
        Assert.DoesNotContain("intruder", await ScreenAsync(bea), StringComparison.Ordinal);

        // ann's shell exits: the view ends with the session's reason.
        await TypeAsync(ann, "exit\r");
        await bea.WaitForSelectorAsync("#watch[data-state=\"ended\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.Contains("The watched session ended", await bea.InnerTextAsync("#watch-status"), StringComparison.Ordinal);
        var watch = await _gateway.AuditAsync(LiveViewAuditEvents.Watch);
        Assert.Contains(watch, e => e.Actor == Bea && e.SessionId == sessionId && e.Details!["phase"]!.GetValue<string>() == "start");
    }

    private async Task<IPage> SignInAsync(string user, string password)
    {
        var context = await _chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_origin + "/");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin");
        await page.WaitForSelectorAsync("[data-target-id], #nav-sessions:not([hidden])", new PageWaitForSelectorOptions { Timeout = 15_000 });
        return page;
    }

    private static Task TypeAsync(TdpTestClient client, string text) => client.SendAsync(new TerminalInputMessage(Encoding.UTF8.GetBytes(text)));

    /// <summary>ann's terminal output so far, as text.</summary>
    private static string Output(TdpTestClient client) =>
        Encoding.UTF8.GetString([.. client.Received.OfType<TerminalOutputMessage>().SelectMany(m => m.Data)]);

    private static async Task WaitForOutputAsync(TdpTestClient client, string text, bool notice = false)
    {
        for (var i = 0; i < 200; i++)
        {
            var seen = notice
                ? client.Received.OfType<NotificationMessage>().Any(n => n.Message.Contains(text, StringComparison.Ordinal))
                : Output(client).Contains(text, StringComparison.Ordinal);
            if (seen)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"no \"{text}\" from the session; output so far: {Output(client)}");
    }

    /// <summary>The text on the watcher's terminal (its rows, as xterm.js draws them).</summary>
    private static Task<string> ScreenAsync(IPage page) =>
        page.EvaluateAsync<string>("() => [...document.querySelectorAll('#watch-terminal .xterm-rows > div')].map(r => r.textContent).join('\\n')");

    private static async Task WaitForScreenAsync(IPage page, string text)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await ScreenAsync(page)).Contains(text, StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"the watcher's terminal never showed \"{text}\"; it shows:\n{await ScreenAsync(page)}");
    }
}
