using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Oriel.TestPeers;

namespace Oriel.Bench.Desktop;

/// <summary>
/// Oriel: the gateway as its own process (<c>dotnet oriel.dll serve</c>) over a fresh data
/// directory, with one administrator and one VNC target (security none) added through the CLI,
/// and the web client signed in through its pages.
/// </summary>
internal sealed class OrielCandidate(BenchOptions options) : IDesktopCandidate
{
    private const string UserName = "bench";
    private const string Password = "bench-password-1";
    private const string TargetId = "bench-desktop";

    // The desktop page's stored preferences: draw 1:1 and never ask the server to resize
    // (the workload must stay 1920x1080, as for noVNC).
    private const string PrefsScript =
        """
        try {
          window.localStorage.setItem('oriel.desktop', JSON.stringify({ scale: 'actual', resizeRemote: false, clipboardPanel: false }));
        } catch (e) {}
        """;

    private ManagedProcess? _relay;
    private string _url = "";

    public string Name => CandidateNames.Oriel;

    public string Description => "Oriel gateway + web client";

    public string CanvasSelector => "#desktop-canvas";

    public ManagedProcess Relay => _relay ?? throw new InvalidOperationException("not started");

    public async Task StartAsync(XvncServer server, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.GatewayDll))
        {
            throw new InvalidOperationException($"no gateway at {options.GatewayDll}: build it (bench/run does) or pass --gateway-dll");
        }
        if (!File.Exists(Path.Combine(options.WebRoot, "index.html")))
        {
            throw new InvalidOperationException($"no web client at {options.WebRoot}: run `npm run build` in web/ or pass --web-root");
        }
        var inv = CultureInfo.InvariantCulture;
        var data = TestDirs.Create("oriel-data");
        await CliAsync(["users", "add", UserName, "--admin", "--password-stdin", "--data", data], Password + "\n").ConfigureAwait(false);
        await CliAsync([
            "targets", "add", "Bench desktop", "--id", TargetId, "--protocol", "vnc",
            "--host", "127.0.0.1", "--port", server.Port.ToString(inv), "--security", "none", "--data", data,
        ], null).ConfigureAwait(false);

        var port = TestPorts.GetFreePort();
        _url = string.Create(inv, $"http://127.0.0.1:{port}");
        _relay = ManagedProcess.Start(
            ["dotnet", options.GatewayDll, "serve", "--data", data, "--urls", _url, "--web-root", options.WebRoot],
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            data);
        await _relay.WaitForPortAsync(port, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    public Task PrepareContextAsync(IBrowserContext context) => context.AddInitScriptAsync(PrefsScript);

    public async Task OpenAsync(IPage page, CancellationToken cancellationToken)
    {
        var step = "load the sign-in page";
        try
        {
            await page.GotoAsync(_url + "/").ConfigureAwait(false);
            step = "sign in";
            await page.FillAsync("#username", UserName).ConfigureAwait(false);
            await page.FillAsync("#password", Password).ConfigureAwait(false);
            await page.ClickAsync("#signin").ConfigureAwait(false);
            step = "open the target from the target list";
            await page.ClickAsync($"[data-target-id=\"{TargetId}\"] .open-target", new PageClickOptions { Timeout = 30_000 }).ConfigureAwait(false);
            step = "reach #desktop[data-state=connected]";
            await page.WaitForSelectorAsync("#desktop[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 30_000 })
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"Oriel: could not {step}: {e.Message.Split('\n')[0]}\n" +
                $"page: {await DescribePageAsync(page).ConfigureAwait(false)}\ngateway output:\n{Relay.RecentOutput}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_relay is not null) await _relay.DisposeAsync().ConfigureAwait(false);
    }

    private async Task CliAsync(IReadOnlyList<string> args, string? input)
    {
        var result = await ProcessRunner.RunAsync(
            ["dotnet", options.GatewayDll, .. args],
            standardInput: input is null ? null : Encoding.UTF8.GetBytes(input),
            timeout: TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        result.EnsureSuccess();
    }

    private static async Task<string> DescribePageAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<string>(
                """
                () => {
                  const d = document.getElementById('desktop');
                  const parts = [location.hash];
                  if (d) parts.push('desktop state=' + d.dataset.state);
                  for (const id of ['signin-error', 'desktop-status', 'desktop-overlay-reason']) {
                    const el = document.getElementById(id);
                    if (el && el.textContent) parts.push(id + ': ' + el.textContent.trim());
                  }
                  return parts.join(' | ');
                }
                """).ConfigureAwait(false) ?? "";
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return "(unreadable: " + e.Message.Split('\n')[0] + ")";
        }
    }
}
