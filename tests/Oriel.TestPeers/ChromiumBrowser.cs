using Microsoft.Playwright;

namespace Oriel.TestPeers;

/// <summary>
/// Debian's headless Chromium driven by Playwright for .NET (no <c>playwright install</c>): no
/// sandbox, no GPU, no background networking (this machine has no internet), HOME in a private
/// directory. Dispose to close the browser and the Playwright driver.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    /// <summary>Where Debian installs Chromium.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] s_arguments =
    [
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
    ];

    private readonly IPlaywright _playwright;
    private int _disposed;

    private ChromiumBrowser(IPlaywright playwright, IBrowser browser, string home)
    {
        _playwright = playwright;
        Browser = browser;
        HomeDirectory = home;
    }

    public IBrowser Browser { get; }

    /// <summary>The private HOME Chromium runs with.</summary>
    public string HomeDirectory { get; }

    /// <summary>Launches headless Chromium.</summary>
    public static async Task<ChromiumBrowser> LaunchAsync(bool headless = true)
    {
        var home = TestDirs.Create("chromium");
        var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = headless,
                ChromiumSandbox = false,
                Args = s_arguments,
                Env = BrowserEnvironment(home),
            }).ConfigureAwait(false);
            return new ChromiumBrowser(playwright, browser, home);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>This process's environment with HOME and the XDG directories moved into <paramref name="home"/> (Playwright replaces, not merges).</summary>
    private static Dictionary<string, string> BrowserEnvironment(string home)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string key && e.Value is string value) env[key] = value;
        }
        env["HOME"] = home;
        env["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        env["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
        return env;
    }

    /// <summary>A fresh browser context (its own cookies and storage).</summary>
    /// <param name="grantClipboardTo">An origin (e.g. <c>http://127.0.0.1:5000</c>) to grant clipboard-read and clipboard-write, or null.</param>
    public async Task<IBrowserContext> NewContextAsync(string? grantClipboardTo = null, BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions()).ConfigureAwait(false);
        if (grantClipboardTo is not null)
        {
            await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = grantClipboardTo })
                .ConfigureAwait(false);
        }
        return context;
    }

    /// <summary>A page in a fresh context; closing the page's context is the caller's (or the browser's disposal's) job.</summary>
    public async Task<IPage> NewPageAsync(string? grantClipboardTo = null)
    {
        var context = await NewContextAsync(grantClipboardTo).ConfigureAwait(false);
        return await context.NewPageAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await Browser.CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _playwright.Dispose();
        }
    }
}
