using Oriel.Bench.Desktop;

namespace Oriel.Bench.Desktop.Tests;

public class ComputeTests
{
    private static ProbeSnapshot Probe(double frames, double nowMs, double bytes = 0) =>
        new(bytes, 0, 1, "", frames, 0, 0, "1920x1080", nowMs, "");

    [Fact]
    public void Recorded_run_gives_window_growth_per_minute_and_whole_file_per_minute()
    {
        var start = new BenchRunner.Sample(Probe(100, 10_000), Relay: 5, Xvnc: 1, Browser: null, RecordingBytes: 1_000_000);
        var end = new BenchRunner.Sample(Probe(400, 40_000), Relay: 8, Xvnc: 2, Browser: null, RecordingBytes: 4_000_000);
        var recording = new RecordingSummary("ab", "tdp", SizeBytes: 9_000_000, DurationMs: 60_000, "complete", null);

        var r = BenchRunner.Compute(CandidateNames.OrielRecorded, "recorded", 1, start, end, "1.0", recording);

        Assert.Equal(30, r.WindowSeconds, 9);
        Assert.Equal(300, r.Frames);
        Assert.Equal(10, r.RelayCpuPer1000Frames, 9);             // 3 CPU-s over 300 frames
        Assert.Equal(3_000_000, r.RecordingBytesInWindow);
        Assert.Equal(6_000_000, r.RecordingBytesPerMinuteInWindow!.Value, 6); // 3 MB in half a minute
        Assert.Equal(9_000_000, r.RecordingSizeBytes);
        Assert.Equal(60, r.RecordingSeconds);
        Assert.Equal(9_000_000, r.RecordingBytesPerMinute!.Value, 6);
    }

    [Fact]
    public void Unrecorded_run_has_no_recording_values()
    {
        var start = new BenchRunner.Sample(Probe(0, 0), 0, 0, null, null);
        var end = new BenchRunner.Sample(Probe(60, 1_000), 1, 0, null, null);
        var r = BenchRunner.Compute(CandidateNames.Oriel, "off", 1, start, end, "", null);
        Assert.Null(r.RecordingBytesInWindow);
        Assert.Null(r.RecordingBytesPerMinuteInWindow);
        Assert.Null(r.RecordingSizeBytes);
        Assert.Null(r.RecordingBytesPerMinute);
        Assert.Equal(1000 / 60.0, r.RelayCpuPer1000Frames, 9);
    }
}
