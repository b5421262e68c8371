using Oriel.Testing.Fuzzing;

namespace Oriel.Graphics.Tests;

/// <summary>
/// Replays tests/fuzz-regressions/ for this project's fuzz targets: every input afl-fuzz once crashed or hung on
/// must now decode or throw DecodeException, within a time bound (docs/fuzzing.md).
/// </summary>
public class FuzzRegressionTests
{
    public static TheoryData<string> Targets() =>
    [
        "png",
    ];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_input_the_fuzzer_found_now_decodes_or_throws_DecodeException(string target)
    {
        Assert.True(File.Exists(Path.Combine(RegressionCorpus.Directory, "README.md")), "tests/fuzz-regressions is not copied next to the tests");
        Assert.Contains(FuzzTargets.All, t => t.Name == target);
        Assert.Empty(RegressionCorpus.Replay(target));
    }
}
