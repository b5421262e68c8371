using System.Globalization;
using Microsoft.Playwright;
using Oriel.TestPeers;

namespace Oriel.Bench.Desktop;

/// <summary>
/// The peer: Debian's websockify relaying the Xvnc port, and serving Debian's noVNC
/// (<c>vnc_lite.html</c>) from the same port with <c>--web</c>.
/// </summary>
internal sealed class WebsockifyNoVncCandidate(BenchOptions options) : IDesktopCandidate
{
    private ManagedProcess? _relay;
    private int _port;

    public string Name => CandidateNames.Peer;

    public string Description => "websockify + noVNC vnc_lite";

    // RFB puts its canvas inside the #screen element it is given.
    public string CanvasSelector => "#screen canvas";

    public ManagedProcess Relay => _relay ?? throw new InvalidOperationException("not started");

    public async Task StartAsync(XvncServer server, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(options.NoVncDirectory, "vnc_lite.html")))
        {
            throw new InvalidOperationException($"no vnc_lite.html in {options.NoVncDirectory} (install the novnc package or pass --novnc)");
        }
        var inv = CultureInfo.InvariantCulture;
        _port = TestPorts.GetFreePort();
        _relay = ManagedProcess.Start([
            "websockify",
            "--web", options.NoVncDirectory,
            string.Create(inv, $"127.0.0.1:{_port}"),
            string.Create(inv, $"127.0.0.1:{server.Port}"),
        ]);
        await _relay.WaitForPortAsync(_port, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
    }

    public Task PrepareContextAsync(IBrowserContext context) => Task.CompletedTask;

    public async Task OpenAsync(IPage page, CancellationToken cancellationToken)
    {
        // No scale parameter: vnc_lite reads it as a string, so even "scale=false" turns scaling on.
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_port}/vnc_lite.html?host=127.0.0.1&port={_port}&path=websockify");
        try
        {
            await page.GotoAsync(url).ConfigureAwait(false);
            await page.WaitForFunctionAsync(
                "() => (document.getElementById('status')?.textContent ?? '').startsWith('Connected')",
                null,
                new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 100 }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            var status = await page.TextContentAsync("#status").ConfigureAwait(false);
            throw new InvalidOperationException($"noVNC did not connect (status \"{status}\"). websockify output:\n{Relay.RecentOutput}", e);
        }
    }

    public long? RecordingBytesOnDisk() => null;

    public Task<RecordingSummary?> FinishAsync(IPage page, CancellationToken cancellationToken) => Task.FromResult<RecordingSummary?>(null);

    public async ValueTask DisposeAsync()
    {
        if (_relay is not null) await _relay.DisposeAsync().ConfigureAwait(false);
    }
}
