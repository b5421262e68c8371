using System.Globalization;
using Oriel.TestPeers;

namespace Oriel.Bench.Relay;

/// <summary>Debian's websockify, one process per target port (it relays to one target).</summary>
internal sealed class WebsockifyRelay : IAsyncDisposable
{
    private readonly ManagedProcess _push;
    private readonly ManagedProcess _echo;
    private readonly int _pushPort;
    private readonly int _echoPort;

    private WebsockifyRelay(ManagedProcess push, int pushPort, ManagedProcess echo, int echoPort)
    {
        _push = push;
        _pushPort = pushPort;
        _echo = echo;
        _echoPort = echoPort;
    }

    public static async Task<WebsockifyRelay> StartAsync(int pushTarget, int echoTarget)
    {
        var inv = CultureInfo.InvariantCulture;
        var pushPort = TestPorts.GetFreePort();
        var echoPort = TestPorts.GetFreePort();
        var push = ManagedProcess.Start(["websockify", string.Create(inv, $"127.0.0.1:{pushPort}"), string.Create(inv, $"127.0.0.1:{pushTarget}")]);
        var echo = ManagedProcess.Start(["websockify", string.Create(inv, $"127.0.0.1:{echoPort}"), string.Create(inv, $"127.0.0.1:{echoTarget}")]);
        await push.WaitForPortAsync(pushPort, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await echo.WaitForPortAsync(echoPort, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return new WebsockifyRelay(push, pushPort, echo, echoPort);
    }

    public Uri Uri(bool push) => new(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{(push ? _pushPort : _echoPort)}/websockify"));

    public async ValueTask DisposeAsync()
    {
        await _push.DisposeAsync().ConfigureAwait(false);
        await _echo.DisposeAsync().ConfigureAwait(false);
    }
}
