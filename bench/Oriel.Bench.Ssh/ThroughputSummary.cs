namespace Oriel.Bench.Ssh;

/// <summary>
/// The throughput comparison over the successful runs: median and range of each side's MB/s, the ratio Oriel ÷ ssh of
/// the medians and of each round (runs with the same index, run one after the other), and the gateway's and the
/// clients' costs.
/// </summary>
internal sealed record ThroughputSummary
{
    /// <summary>The goal the issue sets for Oriel ÷ ssh.</summary>
    public const double Goal = 0.8;

    public Spread? SshMegabytesPerSecond { get; init; }
    public Spread? OrielMegabytesPerSecond { get; init; }

    /// <summary>Median Oriel MB/s ÷ median ssh MB/s.</summary>
    public double? RatioOfMedians { get; init; }

    /// <summary>Oriel ÷ ssh within each round where both succeeded.</summary>
    public Spread? RoundRatios { get; init; }

    public Spread? SshClientCpuSecondsPerGib { get; init; }
    public Spread? OrielClientCpuSecondsPerGib { get; init; }
    public Spread? GatewayCpuSecondsPerGib { get; init; }
    public Spread? GatewayPeakRssMib { get; init; }
    public Spread? GatewayRssBeforeMib { get; init; }
    public Spread? SshSetupSeconds { get; init; }

    public static ThroughputSummary Of(IReadOnlyList<ThroughputRun> runs)
    {
        var ok = runs.Where(r => r.Error is null).ToList();
        var ssh = ok.Where(r => r.Side == SshBenchOptions.SideSsh).ToList();
        var oriel = ok.Where(r => r.Side == SshBenchOptions.SideOriel).ToList();
        var sshMb = Spread.Of(ssh.Select(r => r.MegabytesPerSecond));
        var orielMb = Spread.Of(oriel.Select(r => r.MegabytesPerSecond));
        var rounds = from o in oriel
                     join s in ssh on o.Index equals s.Index
                     select o.MegabytesPerSecond / s.MegabytesPerSecond;
        return new ThroughputSummary
        {
            SshMegabytesPerSecond = sshMb,
            OrielMegabytesPerSecond = orielMb,
            RatioOfMedians = Spread.Ratio(orielMb?.Median, sshMb?.Median),
            RoundRatios = Spread.Of(rounds),
            SshClientCpuSecondsPerGib = Spread.Of(ssh.Select(PerGib)),
            OrielClientCpuSecondsPerGib = Spread.Of(oriel.Select(PerGib)),
            GatewayCpuSecondsPerGib = Spread.Of(oriel.Select(r => r.GatewayCpuSecondsPerGib ?? double.NaN)),
            GatewayPeakRssMib = Spread.Of(oriel.Select(r => r.GatewayPeakRssMib ?? double.NaN)),
            GatewayRssBeforeMib = Spread.Of(oriel.Select(r => r.GatewayRssBeforeMib ?? double.NaN)),
            SshSetupSeconds = Spread.Of(ssh.Select(r => r.SshSetupSeconds ?? double.NaN)),
        };
    }

    private static double PerGib(ThroughputRun r) => r.ClientCpuSeconds / (r.PayloadBytes / (double)SshBenchOptions.OneGib);
}
