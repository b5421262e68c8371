using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.TestPeers;
using Xunit.Abstractions;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A terminal recording played in a real headless Chromium through the real gateway. The <c>.cast</c> is written by the
/// gateway's own recorder: the recording observer factory opens it for a session whose adapter is a terminal, and the
/// test drives it through the observer API as the session host would (the browser's resizes and typing, the terminal
/// output the session sends, a password typed while the protocol says input is secret, the exit), on a clock the test
/// steps. The recordings page lists it as SSH; its player is npm asciinema-player (under the gateway's CSP), whose DOM
/// shows the recorded text after playing, and an earlier screen after a seek on its progress bar.
/// </summary>
public sealed class TerminalRecordingPlaybackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "tess";
    private const string Password = "tess-password-12";
    private const string SessionId = "7e5a1c01";

    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;
    private string _cast = "";

    /// <summary>A terminal protocol as the observer factory sees it: its medium is all that matters here.</summary>
    private sealed class TerminalAdapter : IProtocolAdapter
    {
        public string Protocol => "ssh";

        public string DisplayName => "SSH";

        public IReadOnlySet<string> SessionKinds { get; } = new HashSet<string> { Gateway.Sessions.SessionKinds.Rendered };

        public SessionMedium Medium => SessionMedium.Terminal;

        public IRenderedSession CreateRendered(RenderedSessionContext context) => throw new NotSupportedException();

        public ValueTask<IBrowserSession> CreateRelayAsync(RelaySessionContext context, CancellationToken ct) => throw new NotSupportedException();
    }

    /// <summary>A clock the test steps; the recorder's times are its.</summary>
    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    /// <summary>The browser side of the synthetic session: what the session sends ends here.</summary>
    private sealed class NowhereSender : Gateway.Desktop.ITdpSender
    {
        public int Sent { get; private set; }

        public ValueTask SendAsync(TdpMessage message)
        {
            Sent++;
            return ValueTask.CompletedTask;
        }

        public ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload)
        {
            Sent++;
            return ValueTask.CompletedTask;
        }
    }

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.Get<RoleService>().SaveAsync(
            new RoleRecord("operators", "", [], [], false, false, true, null, false) { Recordings = RecordingsAccess.Own }, "tests");
        var user = (await _gateway.Get<UserService>().CreateAsync(User, Password, isAdmin: false, ["operators"], mustChangePassword: false, "tests")).User;
        _cast = await RecordAsync(user.Id);
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    /// <summary>Records an eight-second terminal session through the observer API; returns the file's text.</summary>
    private async Task<string> RecordAsync(string userId)
    {
        var clock = new SteppedClock(DateTimeOffset.UtcNow.AddMinutes(-10));
        var service = new RecordingService(_gateway.Get<IOrielStore>(), _gateway.Get<IAuditLog>(), _gateway.Get<RecordingPaths>(),
            _gateway.Get<GatewayOptions>(), clock, NullLogger<RecordingService>.Instance);
        var factory = new RecordingObserverFactory(service, new ProtocolRegistry([new TerminalAdapter()]));
        var live = new LiveSession(SessionId, userId, User, "build", "ssh", SessionKinds.Rendered, "127.0.0.1", clock.GetUtcNow());
        var target = new ResolvedTarget { Id = "build", Name = "Build box", Settings = SshTargetSettings.Default, Host = "127.0.0.1", Port = 22 };
        var decision = new AccessDecision
        {
            Allowed = true,
            Target = target,
            UserName = User,
            UserId = userId,
            Permissions = new SessionPermissions(false, false, true, null) { Recording = RecordingMode.Required, RecordInput = InputRecording.Full },
        };
        var observer = (await factory.OpenAsync(live, decision, CancellationToken.None))!;
        var browser = new NowhereSender();
        var session = observer.WrapSender(browser);
        ValueTask Out(byte[] bytes) => session.SendAsync(new TerminalOutputMessage(bytes));
        void Step(int ms) => clock.Advance(TimeSpan.FromMilliseconds(ms));

        observer.BrowserMessage(new ClientScreenSpecMessage(1000, 700));
        observer.BrowserMessage(new TerminalResizeMessage(100, 30, 1000, 700));
        Step(200);
        await Out(Encoding.UTF8.GetBytes("Password: "));
        observer.SecretInput(true);
        observer.BrowserMessage(new TerminalInputMessage("letmein-42\r"u8.ToArray()));
        observer.SecretInput(false);
        Step(300);
        await Out(Encoding.UTF8.GetBytes("\r\n\u001b[1;32mtess@build\u001b[0m:~$ "));
        Step(500);
        observer.BrowserMessage(new TerminalInputMessage("echo hello\r"u8.ToArray()));
        await Out(Encoding.UTF8.GetBytes("echo hello\r\nhello from the terminal recording\r\n"));
        Step(1000);
        var line = Encoding.UTF8.GetBytes("naïve ✓ 漢字\r\n");
        var split = Array.IndexOf(line, (byte)0xE2) + 1; // inside the check mark
        await Out(line[..split]);
        await Out(line[split..]);
        Step(2000);
        observer.BrowserMessage(new TerminalResizeMessage(80, 24, 800, 600));
        Step(2000);
        await Out(Encoding.UTF8.GetBytes("the end is near\r\n"));
        Step(2000);
        await session.SendAsync(new TerminalExitMessage(TerminalExitKind.Exited, 0, "", ""));
        await observer.FinishAsync(Gateway.Sessions.SessionEndReason.TargetClosed, "The program exited with status 0.");
        await observer.DisposeAsync();
        Assert.Equal(7, browser.Sent);

        var text = await File.ReadAllTextAsync(_gateway.Get<RecordingPaths>().Asciicast(SessionId));
        output.WriteLine(text);
        Assert.DoesNotContain("letmein", text, StringComparison.Ordinal);
        var row = (await _gateway.Get<IOrielStore>().GetRecordingAsync(SessionId, CancellationToken.None))!;
        Assert.Equal(("asciicast", "ssh", RecordingStatus.Complete, 8000L), (row.Kind, row.Protocol, row.Status, row.DurationMs));
        return text;
    }

    [Fact]
    public async Task TheRecordingsPagePlaysATerminalRecording_InAsciinemaPlayer_AndSeeksInIt()
    {
        var read = AsciicastReader.ReadAll(Encoding.UTF8.GetBytes(_cast));
        Assert.Equal((100, 30), (read.Header!.Width, read.Header.Height));
        // The check mark sent in two messages is written whole, once, in the later event.
        Assert.Contains(read.Events, e => e.Code == AsciicastEventCode.Output && e.Data == "✓ 漢字\r\n");

        var origin = _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                lock (problems) problems.Add($"{m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) =>
        {
            lock (problems) problems.Add("page error: " + e);
        };

        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        await page.WaitForSelectorAsync("#nav-recordings:not([hidden])");
        await page.ClickAsync("#nav-recordings");
        var row = $"[data-recording-id=\"{SessionId}\"]";
        await page.WaitForSelectorAsync(row);
        var listed = await page.TextContentAsync(row);
        Assert.Contains("SSH", listed, StringComparison.Ordinal);
        Assert.Contains("Build box", listed, StringComparison.Ordinal);
        Assert.Contains("0:08", listed, StringComparison.Ordinal);
        await page.ClickAsync($"{row} .open-recording");

        await page.WaitForSelectorAsync("#player[data-kind=\"asciicast\"][data-state=\"paused\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        await page.WaitForSelectorAsync("#terminal-player .ap-player .ap-control-bar");
        Assert.True(await page.IsHiddenAsync("#export-start"));
        Assert.Equal($"/api/recordings/{SessionId}/file", await page.GetAttributeAsync("#player-download", "href"));

        // Play at 4x with the player's own button: the recorded text is in the player's DOM at the end.
        await page.SelectOptionAsync("#player-speed", "4");
        await page.ClickAsync("#terminal-player .ap-playback-button");
        await page.WaitForSelectorAsync("#player[data-state=\"ended\"]", new PageWaitForSelectorOptions { Timeout = 30_000 });
        var screen = await TerminalTextAsync(page);
        output.WriteLine(screen);
        Assert.Contains("tess@build:~$ echo hello", screen, StringComparison.Ordinal);
        Assert.Contains("hello from the terminal recording", screen, StringComparison.Ordinal);
        Assert.Contains("naïve ✓ 漢字", screen, StringComparison.Ordinal);
        Assert.Contains("the end is near", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("letmein", screen, StringComparison.Ordinal);

        // Seek on the progress bar to 40% (3.2 s of 8): the screen of that moment, before "the end is near" (at 6 s).
        var bar = (await page.QuerySelectorAsync("#terminal-player .ap-progressbar .ap-bar"))!;
        var box = (await bar.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width * 0.4f, box.Y + box.Height / 2);
        await page.WaitForFunctionAsync("() => !document.querySelector('#terminal-player .ap-term-text').textContent.includes('the end is near')",
            null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        var earlier = await TerminalTextAsync(page);
        Assert.Contains("hello from the terminal recording", earlier, StringComparison.Ordinal);
        Assert.Contains("naïve ✓ 漢字", earlier, StringComparison.Ordinal);

        lock (problems)
        {
            Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || p.StartsWith("page error", StringComparison.Ordinal));
        }
    }

    private static async Task<string> TerminalTextAsync(IPage page) =>
        await page.EvaluateAsync<string>("() => [...document.querySelectorAll('#terminal-player .ap-term-text .ap-line')].map(l => l.textContent.replace(/\\u00a0/g, ' ').trimEnd()).join('\\n')");
}
