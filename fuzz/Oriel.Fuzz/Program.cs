using Oriel.Graphics.TurboJpeg;
using Oriel.Testing.Fuzzing;
using SharpFuzz;

namespace Oriel.Fuzz;

/// <summary>
/// Entry point of the fuzzer. Commands:
/// <list type="bullet">
/// <item><c>TARGET</c>: serve afl-fuzz (SharpFuzz's out-of-process fork server) with the target's decoder;</item>
/// <item><c>list</c>: print the targets, one a line;</item>
/// <item><c>seeds TARGET DIR [REPO]</c>: write the target's seed corpus, made from the repository's vectors, to DIR;</item>
/// <item><c>replay TARGET FILE...</c>: run each file once and say how it ended (exit 1 if any is a finding).</item>
/// </list>
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: Oriel.Fuzz TARGET | list | seeds TARGET DIR [REPO] | replay TARGET FILE...");
            return 2;
        }
        switch (args[0])
        {
            case "list":
                foreach (var t in FuzzTargets.All) Console.WriteLine(t.Name);
                return 0;
            case "seeds" when args.Length is 3 or 4:
                return WriteSeeds(args[1], args[2], args.Length == 4 ? args[3] : FindRepository());
            case "replay" when args.Length >= 3:
                return Replay(args[1], args[2..]);
            default:
                var target = FuzzTargets.Get(args[0]);
                // The JPEG-reaching targets decode with the real libjpeg-turbo (the host-tier binding, not
                // instrumented; JpegCodec's checks in Oriel.Graphics are). Load it here, once, before the fork
                // server starts, so the first JPEG input does not take a path the others do not, and so a
                // missing library stops the run instead of every JPEG input.
                if (!TurboJpegLibrary.IsAvailable)
                {
                    Console.Error.WriteLine(TurboJpegLibrary.MissingLibraryMessage);
                    return 1;
                }
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    target.Run(copy.ToArray());
                });
                return 0;
        }
    }

    private static int WriteSeeds(string target, string directory, string repository)
    {
        Directory.CreateDirectory(directory);
        var seeds = FuzzSeeds.For(target, repository);
        foreach (var (name, bytes) in seeds)
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
        Console.WriteLine($"{target}: {seeds.Count} seeds in {directory}");
        return 0;
    }

    private static int Replay(string targetName, string[] files)
    {
        var target = FuzzTargets.Get(targetName);
        var findings = 0;
        foreach (var file in files)
        {
            var failure = RegressionCorpus.ReplayOne(target, File.ReadAllBytes(file));
            if (failure is null)
            {
                Console.WriteLine($"{file}: ok (decoded or DecodeException)");
            }
            else
            {
                findings++;
                Console.WriteLine($"{file}: FINDING {failure}");
            }
        }
        return findings == 0 ? 0 : 1;
    }

    /// <summary>The checkout this program was built in: the nearest folder above it holding Oriel.sln.</summary>
    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oriel.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("no Oriel.sln above " + AppContext.BaseDirectory + "; pass the repository as REPO");
    }
}
