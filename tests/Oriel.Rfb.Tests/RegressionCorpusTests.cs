using Oriel.Testing.Fuzzing;

namespace Oriel.Rfb.Tests;

/// <summary>The regression replay itself: it must see what the fuzzer sees, an escaping exception and a hang.</summary>
public class RegressionCorpusTests
{
    [Fact]
    public void An_exception_other_than_DecodeException_is_a_finding()
    {
        var target = new FuzzTarget("throws", "test", _ => throw new InvalidOperationException("boom"));

        var failure = RegressionCorpus.ReplayOne(target, [1, 2, 3]);

        Assert.NotNull(failure);
        Assert.Contains("InvalidOperationException: boom", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_that_does_not_end_within_the_bound_is_a_hang()
    {
        using var release = new ManualResetEventSlim();
        var target = new FuzzTarget("blocks", "test", _ => release.Wait());

        var failure = RegressionCorpus.ReplayOne(target, [], TimeSpan.FromMilliseconds(200));
        release.Set();

        Assert.NotNull(failure);
        Assert.Contains("hang", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_target_rejects_garbage_the_documented_way()
    {
        var random = new Random(4242);
        foreach (var target in FuzzTargets.All)
        {
            foreach (var length in new[] { 0, 1, 2, 9, 64, 700 })
            {
                var input = new byte[length];
                random.NextBytes(input);
                Assert.Null(RegressionCorpus.ReplayOne(target, input));
            }
        }
    }

    [Fact]
    public void The_test_projects_replay_every_target()
    {
        // FuzzRegressionTests in Oriel.Tdp.Tests, Oriel.Rfb.Tests, Oriel.Rfb.Encodings.Tests, Oriel.Recording.Tests and
        // Oriel.Graphics.Tests (png).
        // recording-replay is the Rfb observer fed from a recording: Oriel.Rfb.Tests replays it.
        string[] replayed =
        [
            "tdp-client", "tdp-server",
            "rfb-handshake", "rfb-server", "passthrough-filter", "passthrough-handshake",
            "rfb-raw", "rfb-copyrect", "rfb-rre", "rfb-hextile", "rfb-trle", "rfb-zrle", "rfb-tight",
            "recording", "tdp-recording", "recording-replay", "png",
        ];
        Assert.Equal(replayed.Order(StringComparer.Ordinal), FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal));
        string[] inThisProject = [.. replayed[2..6], "recording-replay"];
        Assert.Equal(inThisProject, FuzzRegressionTests.Targets().Cast<object[]>().Select(r => (string)r[0]));
    }
}
