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

        var cpu = rows.Single(r => r.Metric == "relay CPU-s per 1000 frames");
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
        Assert.Matches(@"oriel #1 +FAILED: could not sign in", text);
        Assert.DoesNotContain("more", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Recorded_ratio_is_recorded_over_unrecorded_and_recording_rows_have_only_the_recorded_side()
    {
        RunResult[] runs =
        [
            Run(CandidateNames.Peer, 1, 10, 1000) with { RelayCpuPer1000Frames = 4 },
            Run(CandidateNames.Oriel, 1, 20, 500) with { RelayCpuPer1000Frames = 2 },
            Run(CandidateNames.OrielRecorded, 1, 18, 500) with
            {
                RelayCpuPer1000Frames = 2.5,
                WindowSeconds = 10,
                RelayCpuSeconds = 5,
                RecordingBytesPerMinuteInWindow = 6_000_000,
                RecordingBytesPerMinute = 5_000_000,
            },
            Run(CandidateNames.Oriel, 2, 20, 500) with { RelayCpuPer1000Frames = 3 },
            Run(CandidateNames.OrielRecorded, 2, 18, 500) with { RelayCpuPer1000Frames = 4.5 },
        ];
        var rows = Report.Compare(runs);

        var cpu = rows.Single(r => r.Metric == "relay CPU-s per 1000 frames");
        Assert.Equal(4, cpu.Peer);
        Assert.Equal(2.5, cpu.Oriel);          // median of 2, 3
        Assert.Equal(3.5, cpu.OrielRecorded);  // median of 2.5, 4.5
        Assert.Equal(2.5 / 4, cpu.Ratio!.Value, 9);
        Assert.Equal(3.5 / 2.5, cpu.RecordedRatio!.Value, 9);

        var cpuPerMinute = rows.Single(r => r.Metric == "relay CPU-s per minute");
        Assert.Null(cpuPerMinute.Peer); // no window: no rate
        Assert.Equal(30, cpuPerMinute.OrielRecorded); // 5 CPU-s in a 10 s window

        var perMinute = rows.Single(r => r.Metric == "recording bytes/min (whole)");
        Assert.Null(perMinute.Peer);
        Assert.Null(perMinute.Oriel);
        Assert.Equal(5_000_000, perMinute.OrielRecorded); // the run without the value is left out
        Assert.Null(perMinute.RecordedRatio);

        var text = Report.FormatTables(runs, rows);
        Assert.Contains("oriel-recorded", text, StringComparison.Ordinal);
        Assert.Matches(@"recording bytes/min \(window\) +- +- +6000000 ", text);
    }

    [Fact]
    public void Run_order_alternates_and_only_keeps_the_named_sides()
    {
        var all = new BenchOptions { Repeats = 2 };
        Assert.Equal(["peer", "oriel", "oriel-recorded", "peer", "oriel", "oriel-recorded"], all.RunOrder());
        var only = new BenchOptions { Repeats = 3, Only = [CandidateNames.Oriel] };
        Assert.Equal(["oriel", "oriel", "oriel"], only.RunOrder());
        var parsed = BenchOptions.Parse(["--only", "oriel-recorded,oriel", "--repeats", "2", "--repo", "/"]);
        Assert.Equal(["oriel", "oriel-recorded", "oriel", "oriel-recorded"], parsed.RunOrder());
    }

    [Theory]
    [InlineData("--measure", "0")]
    [InlineData("--repeats", "x")]
    [InlineData("--only", "websockify")]
    [InlineData("--only", "oriel,")]
    [InlineData("--only", ",")]
    [InlineData("--only", "peer,recorded")]
    [InlineData("--bogus", "1")]
    public void Bad_options_are_rejected(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse([name, value, "--repo", "/"]));
    }
}
