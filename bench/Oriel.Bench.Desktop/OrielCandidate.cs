using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Oriel.TestPeers;

namespace Oriel.Bench.Desktop;

/// <summary>
/// Oriel: the gateway as its own process (<c>dotnet oriel.dll serve</c>) over a fresh data
/// directory, with one VNC target (security none), one role granting it and one user holding that
/// role (not an administrator: administrators are recorded best effort whatever the roles say) added
/// through the CLI, and the web client signed in through its pages. <paramref name="recorded"/> sets the
/// role's recording mode: off (<see cref="CandidateNames.Oriel"/>) or best effort, the default
/// (<see cref="CandidateNames.OrielRecorded"/>).
/// </summary>
internal sealed class OrielCandidate(BenchOptions options, bool recorded) : IDesktopCandidate
{
    private const string UserName = "bench";
    private const string Password = "bench-password-1";
    private const string TargetId = "bench-desktop";
    private const string RoleName = "bench";
    private static readonly TimeSpan s_recordingWait = TimeSpan.FromSeconds(60);

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
    private string _recordings = "";

    public string Name => recorded ? CandidateNames.OrielRecorded : CandidateNames.Oriel;

    public string Description => recorded ? "Oriel gateway + web client, session recorded" : "Oriel gateway + web client, recording off";

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
        _recordings = Path.Combine(data, "recordings");
        await CliAsync([
            "targets", "add", "Bench desktop", "--id", TargetId, "--protocol", "vnc",
            "--host", "127.0.0.1", "--port", server.Port.ToString(inv), "--security", "none", "--data", data,
        ], null).ConfigureAwait(false);
        // "own": the user may list its own recordings, which is how FinishAsync reads the catalog row.
        await CliAsync([
            "roles", "add", RoleName, "--target", TargetId, "--recording", recorded ? "best-effort" : "off",
            "--recordings", "own", "--data", data,
        ], null).ConfigureAwait(false);
        await CliAsync(["users", "add", UserName, "--role", RoleName, "--password-stdin", "--data", data], Password + "\n").ConfigureAwait(false);

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

    public long? RecordingBytesOnDisk()
    {
        if (!recorded) return null;
        var dir = new DirectoryInfo(_recordings);
        return dir.Exists ? dir.EnumerateFiles("*.orec").Sum(f => f.Length) : 0;
    }

    public async Task<RecordingSummary?> FinishAsync(IPage page, CancellationToken cancellationToken)
    {
        // Leaving the page closes the desktop's WebSocket: the gateway ends the session and finishes its recording.
        await page.GotoAsync("about:blank").ConfigureAwait(false);
        var deadline = DateTime.UtcNow + s_recordingWait;
        while (true)
        {
            var list = await ListRecordingsAsync(page).ConfigureAwait(false);
            if (!recorded)
            {
                var files = Directory.Exists(_recordings) ? Directory.GetFiles(_recordings).Length : 0;
                if (list.Count > 0 || files > 0)
                {
                    throw new InvalidOperationException($"recording is off for this role, yet the catalog lists {list.Count} recording(s) and {files} file(s) exist");
                }
                return null;
            }
            if (list.Count > 1)
            {
                throw new InvalidOperationException($"one session was opened but the catalog lists {list.Count} recordings");
            }
            if (list.Count == 1 && list[0].Status != RecordingSummary.Recording)
            {
                var r = list[0];
                if (r.Status != "complete")
                {
                    throw new InvalidOperationException($"the recording ended {r.Status}: {r.Problem}");
                }
                var file = new FileInfo(Path.Combine(_recordings, r.Id + ".orec"));
                if (!file.Exists || file.Length != r.SizeBytes)
                {
                    throw new InvalidOperationException(
                        $"the catalog says the recording is {r.SizeBytes} bytes, the file {(file.Exists ? file.Length + " bytes" : "is missing")}");
                }
                return r;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the recording was not complete {s_recordingWait.TotalSeconds:0} s after the session ended (catalog rows: {list.Count})");
            }
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<RecordingSummary>> ListRecordingsAsync(IPage page)
    {
        // The context's request API carries the signed-in cookie.
        var response = await page.Context.APIRequest.GetAsync(_url + "/api/recordings").ConfigureAwait(false);
        var body = await response.TextAsync().ConfigureAwait(false);
        if (!response.Ok)
        {
            throw new InvalidOperationException($"GET /api/recordings: {response.Status} {body}");
        }
        try
        {
            return RecordingSummary.ParseList(body);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("GET /api/recordings: " + e.Message, e);
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
