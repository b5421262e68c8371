using Oriel.Bench.Ssh;

namespace Oriel.Bench.Ssh.Tests;

public class ThroughputSummaryTests
{
    private const long Gib = SshBenchOptions.OneGib;

    private static ThroughputRun Ssh(int index, double mbps, double clientCpu = 2) => new()
    {
        Side = SshBenchOptions.SideSsh, Index = index, PayloadBytes = Gib, MegabytesPerSecond = mbps, ClientCpuSeconds = clientCpu, SshSetupSeconds = 0.4,
    };

    private static ThroughputRun Oriel(int index, double mbps, double gatewayCpuPerGib = 3, double peak = 120) => new()
    {
        Side = SshBenchOptions.SideOriel, Index = index, PayloadBytes = Gib, MegabytesPerSecond = mbps, ClientCpuSeconds = 1,
        GatewayCpuSecondsPerGib = gatewayCpuPerGib, GatewayPeakRssMib = peak, GatewayRssBeforeMib = 100,
    };

    [Fact]
    public void Ratio_of_medians_and_round_by_round_ratios()
    {
        ThroughputRun[] runs = [Ssh(1, 100), Oriel(1, 90), Ssh(2, 200), Oriel(2, 100), Ssh(3, 150), Oriel(3, 120)];

        var s = ThroughputSummary.Of(runs);

        Assert.Equal(150, s.SshMegabytesPerSecond!.Median);
        Assert.Equal(100, s.OrielMegabytesPerSecond!.Median);
        Assert.Equal(100.0 / 150, s.RatioOfMedians!.Value, 9);
        // Rounds: 90/100, 100/200, 120/150.
        Assert.Equal(0.8, s.RoundRatios!.Median, 9);
        Assert.Equal(0.5, s.RoundRatios.Min, 9);
        Assert.Equal(0.9, s.RoundRatios.Max, 9);
    }

    [Fact]
    public void Failed_runs_count_nowhere_and_a_round_needs_both_sides()
    {
        ThroughputRun[] runs = [Ssh(1, 100), Oriel(1, 80), Ssh(2, 300) with { Error = "ssh exited with 255" }, Oriel(2, 90)];

        var s = ThroughputSummary.Of(runs);

        Assert.Equal(1, s.SshMegabytesPerSecond!.Count);
        Assert.Equal(2, s.OrielMegabytesPerSecond!.Count);
        Assert.Equal(1, s.RoundRatios!.Count);
        Assert.Equal(0.8, s.RoundRatios.Median, 9);
    }

    [Fact]
    public void Client_cpu_is_per_gib_of_payload()
    {
        var half = Ssh(1, 100, clientCpu: 2) with { PayloadBytes = Gib / 2 };

        var s = ThroughputSummary.Of([half]);

        Assert.Equal(4, s.SshClientCpuSecondsPerGib!.Median, 9);
        Assert.Null(s.OrielMegabytesPerSecond);
        Assert.Null(s.RatioOfMedians);
        Assert.Null(s.GatewayCpuSecondsPerGib);
    }

    [Fact]
    public void Verdict_against_the_goal()
    {
        Assert.Equal("met", SshReport.Verdict(0.8));
        Assert.Equal("not met", SshReport.Verdict(0.79));
        Assert.Equal("not measured", SshReport.Verdict(null));
    }

    [Fact]
    public void Spread_text_shows_the_range_only_for_several_runs()
    {
        Assert.Equal("2.0", SshReport.Fmt(Spread.Of([2.0]), "0.0"));
        Assert.Equal("2.0 [1.0 – 3.0]", SshReport.Fmt(Spread.Of([1.0, 2.0, 3.0]), "0.0"));
        Assert.Equal("–", SshReport.Fmt(null, "0.0"));
    }
}
