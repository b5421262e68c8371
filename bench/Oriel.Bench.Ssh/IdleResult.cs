namespace Oriel.Bench.Ssh;

/// <summary>
/// The idle-session part: the gateway's RSS and threads, and sshd's per-connection processes, before and after
/// <see cref="Opened"/> terminal sessions were opened and left idle at their prompts; per-session figures are the
/// difference divided by <see cref="Opened"/>.
/// </summary>
internal sealed record IdleResult
{
    public required int Requested { get; init; }
    public int Opened { get; init; }

    /// <summary>Why sessions failed to open (first few), or why the part failed.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Seconds to open every session and see each one's prompt.</summary>
    public double OpenSeconds { get; init; }

    /// <summary>Live sessions the gateway listed for the user after opening.</summary>
    public int? LiveSessionsListed { get; init; }

    public ProcStatus? GatewayBefore { get; init; }
    public ProcStatus? GatewayAfter { get; init; }
    public ProcessSetMemory? SshdBefore { get; init; }
    public ProcessSetMemory? SshdAfter { get; init; }

    public double? GatewayRssKibPerSession => Per(GatewayAfter?.RssKib, GatewayBefore?.RssKib);
    public double? GatewayThreadsPerSession => Per(GatewayAfter?.Threads, GatewayBefore?.Threads);
    public double? SshdRssKibPerSession => Per(SshdAfter?.RssKib, SshdBefore?.RssKib);
    public double? SshdPssKibPerSession => Per(SshdAfter?.PssKib, SshdBefore?.PssKib);
    public double? SshdProcessesPerSession => Per(SshdAfter?.Processes, SshdBefore?.Processes);
    public double? SshdThreadsPerSession => Per(SshdAfter?.Threads, SshdBefore?.Threads);

    private double? Per(double? after, double? before) => after is { } a && before is { } b && Opened > 0 ? (a - b) / Opened : null;
}
