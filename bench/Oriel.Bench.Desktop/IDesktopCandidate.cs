using Microsoft.Playwright;
using Oriel.TestPeers;

namespace Oriel.Bench.Desktop;

/// <summary>One side of the comparison: a relay process between Xvnc and a browser client.</summary>
internal interface IDesktopCandidate : IAsyncDisposable
{
    /// <summary><see cref="CandidateNames.Peer"/> or <see cref="CandidateNames.Oriel"/>.</summary>
    string Name { get; }

    /// <summary>What it is, for the table.</summary>
    string Description { get; }

    /// <summary>The canvas the probe samples.</summary>
    string CanvasSelector { get; }

    /// <summary>The relay's process (its group is what the CPU column measures); valid after <see cref="StartAsync"/>.</summary>
    ManagedProcess Relay { get; }

    /// <summary>Starts the relay in front of <paramref name="server"/>.</summary>
    Task StartAsync(XvncServer server, CancellationToken cancellationToken);

    /// <summary>Adds what the client needs to the browser context before any page opens (init scripts).</summary>
    Task PrepareContextAsync(IBrowserContext context);

    /// <summary>Opens the client in <paramref name="page"/> and returns once it shows the remote desktop.</summary>
    Task OpenAsync(IPage page, CancellationToken cancellationToken);
}
