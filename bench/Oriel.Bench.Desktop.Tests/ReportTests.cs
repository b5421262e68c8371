using Oriel.Bench.Desktop;

namespace Oriel.Bench.Desktop.Tests;

public class ReportTests
{
    private static RunResult Run(string candidate, int index, double fps, double bytesPerFrame, string? error = null) => new()
    {
        Candidate = candidate,
        Index = index,
        Description = candidate,
        Error = error,
        FramesPerSecond = fps,
        BytesPerFrame = bytesPerFrame,
        RelayCpuPer1000Frames = double.NaN, // no frames: not a number, left out of medians
    };

    [Fact]
    public void Ratios_are_oriel_over_peer_of_medians_of_successful_runs()
    {
        RunResult[] runs =
        [
            Run(CandidateNames.Peer, 1, 10, 1000),
            Run(CandidateNames.Oriel, 1, 30, 400),
            Run(CandidateNames.Peer, 2, 20, 3000),
            Run(CandidateNames.Oriel, 2, 10, 600),
            Run(CandidateNames.Peer, 3, 12, 2000),
            Run(CandidateNames.Oriel, 3, 99, 1, error: "gateway exited"),
        ];
        var rows = Report.Compare(runs);

        var fps = rows.Single(r => r.Metric.StartsWith("frames/s", StringComparison.Ordinal));
        Assert.Equal(12, fps.Peer);          // median of 10, 12, 20
        Assert.Equal(20, fps.Oriel);         // median of 30, 10 (the failed run is ignored)
        Assert.Equal(20.0 / 12, fps.Ratio!.Value, 9);
        Assert.Equal("higher", fps.Better);

        var bytes = rows.Single(r => r.Metric.StartsWith("bytes/frame", StringComparison.Ordinal));
        Assert.Equal(2000, bytes.Peer);
        Assert.Equal(500, bytes.Oriel);
        Assert.Equal(0.25, bytes.Ratio!.Value, 9);

        var cpu = rows.Single(r => r.Metric.StartsWith("relay CPU", StringComparison.Ordinal));
        Assert.Null(cpu.Peer);
        Assert.Null(cpu.Ratio);
    }

    [Fact]
    public void Missing_side_gives_no_ratio_and_the_table_says_so()
    {
        RunResult[] runs = [Run(CandidateNames.Peer, 1, 10, 1000), Run(CandidateNames.Oriel, 1, 0, 0, error: "could not sign in\nmore")];
        var rows = Report.Compare(runs);
        Assert.All(rows, r => Assert.Null(r.Ratio));
        var text = Report.FormatTables(runs, rows);
        Assert.Contains("oriel #1  FAILED: could not sign in", text, StringComparison.Ordinal);
        Assert.DoesNotContain("more", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_order_alternates_and_only_keeps_one_side()
    {
        var both = new BenchOptions { Repeats = 2 };
        Assert.Equal(["peer", "oriel", "peer", "oriel"], both.RunOrder());
        var only = new BenchOptions { Repeats = 3, Only = CandidateNames.Oriel };
        Assert.Equal(["oriel", "oriel", "oriel"], only.RunOrder());
    }

    [Theory]
    [InlineData("--measure", "0")]
    [InlineData("--repeats", "x")]
    [InlineData("--only", "websockify")]
    [InlineData("--bogus", "1")]
    public void Bad_options_are_rejected(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse([name, value, "--repo", "/"]));
    }
}
