using Microsoft.Playwright;
using Oriel.TestPeers;

namespace Oriel.Bench.Desktop;

/// <summary>One side of the comparison: a relay process between Xvnc and a browser client.</summary>
internal interface IDesktopCandidate : IAsyncDisposable
{
    /// <summary>One of <see cref="CandidateNames.All"/>.</summary>
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

    /// <summary>Bytes of session recordings on disk now, or null when this candidate records nothing.</summary>
    long? RecordingBytesOnDisk();

    /// <summary>
    /// After the measured window: ends the session (leaves the client page) and returns its recording as the
    /// catalog has it once written; null when this candidate records nothing. Throws
    /// <see cref="InvalidOperationException"/> when what was recorded is not what the candidate promised.
    /// </summary>
    Task<RecordingSummary?> FinishAsync(IPage page, CancellationToken cancellationToken);
}
