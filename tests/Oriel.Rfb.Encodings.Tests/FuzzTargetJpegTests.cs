using Oriel.Graphics.TurboJpeg;
using Oriel.Testing.Fuzzing;

namespace Oriel.Rfb.Encodings.Tests;

/// <summary>
/// The rfb-tight fuzz target reaches Tight's JPEG path: it hands its decoder set the host's JPEG codec, as the
/// gateway does, so Tight JpegCompression, <c>JpegCodec</c>'s checks and its frame-header reader are fuzzed too.
/// A decoder set made without a codec refuses every JPEG rectangle before any of them runs, which the fuzzer
/// cannot tell from a rejected input.
/// </summary>
public class FuzzTargetJpegTests
{
    [Fact]
    public void The_tight_target_decodes_the_jpeg_seed_with_libjpeg_turbo()
    {
        Assert.True(TurboJpegLibrary.IsAvailable, TurboJpegLibrary.MissingLibraryMessage);
        var seed = FuzzSeeds.For("rfb-tight", RepositoryRoot()).Single(s => s.Name == "tight-jpeg").Bytes;
        var target = FuzzTargets.All.Single(t => t.Name == "rfb-tight");
        var before = TightDecoder.JpegRectanglesDecoded;

        target.Run(seed);

        Assert.True(TightDecoder.JpegRectanglesDecoded > before, "the rfb-tight target decoded no JPEG rectangle from the tight-jpeg seed");
    }

    /// <summary>The checkout these tests were built from (the seeds are made from its vectors, as scripts/fuzz makes them).</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oriel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Oriel.sln above " + AppContext.BaseDirectory);
    }
}
