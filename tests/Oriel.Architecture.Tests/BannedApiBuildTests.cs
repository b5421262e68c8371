using System.Diagnostics;
using System.Text;

namespace Oriel.Architecture.Tests;

/// <summary>
/// Proves that src/BannedSymbols.txt bites: a throwaway project wired exactly like a src/ project
/// (the repository's Directory.Build.props, Directory.Packages.props and src/Directory.Build.targets)
/// is built twice with <c>dotnet build</c>, once as core, where each banned call must fail the build
/// with RS0030 at its line, and once opted out, where the same code must build. Slow (two builds),
/// bounded to a few minutes each.
/// </summary>
public sealed class BannedApiBuildTests
{
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(5);

    /// <summary>One banned call per line, each a different part of the rule.</summary>
    private static readonly string[] BannedCalls =
    [
        "var wallClock = DateTime.UtcNow;",
        "var file = System.IO.File.ReadAllBytes(\"x\");",
        "var random = new Random(1).Next();",
        "var delay = Task.Delay(10);",
        "var native = System.Runtime.InteropServices.NativeLibrary.Load(\"x\");",
        "var ticks = System.Diagnostics.Stopwatch.GetTimestamp();",
        "var clock = TimeProvider.System;",
        "var host = System.Net.Dns.GetHostName();",
        "var variable = Environment.GetEnvironmentVariable(\"X\");",
        "var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));",
    ];

    [Fact]
    public void A_banned_call_fails_a_core_build_and_the_same_code_builds_once_the_project_opts_out()
    {
        var work = Directory.CreateTempSubdirectory("oriel-banned-api-");
        try
        {
            var core = WriteProbe(work.FullName, "core", optOut: false);
            var (coreExit, coreOutput) = Build(core);
            Assert.True(coreExit != 0, "the core probe built although it calls banned APIs:\n" + coreOutput);
            for (var i = 0; i < BannedCalls.Length; i++)
            {
                var line = FirstCallLine + i;
                Assert.True(coreOutput.Contains($"Probe.cs({line},", StringComparison.Ordinal) && coreOutput.Contains("RS0030", StringComparison.Ordinal),
                    $"no RS0030 for line {line} ({BannedCalls[i]}):\n{coreOutput}");
            }
            Assert.Contains("core tier:", coreOutput, StringComparison.Ordinal); // the reason from BannedSymbols.txt

            var host = WriteProbe(work.FullName, "host", optOut: true);
            var (hostExit, hostOutput) = Build(host);
            Assert.True(hostExit == 0, "the opted-out probe did not build:\n" + hostOutput);
            Assert.DoesNotContain("RS0030", hostOutput, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private const int FirstCallLine = 7;

    private static string WriteProbe(string work, string name, bool optOut)
    {
        var dir = Path.Combine(work, name);
        Directory.CreateDirectory(dir);
        var root = Repository.Root;
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), $"""<Project><Import Project="{Path.Combine(root, "Directory.Build.props")}" /></Project>""");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), $"""<Project><Import Project="{Path.Combine(root, "Directory.Packages.props")}" /></Project>""");
        File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), $"""<Project><Import Project="{Path.Combine(root, "src", "Directory.Build.targets")}" /></Project>""");
        var optOutProperty = optOut ? "<PropertyGroup><OrielCoreTier>false</OrielCoreTier></PropertyGroup>" : "";
        File.WriteAllText(Path.Combine(dir, "Probe.csproj"), $"""<Project Sdk="Microsoft.NET.Sdk">{optOutProperty}</Project>""");
        var source = new StringBuilder();
        source.Append("namespace Probe;\n");                              // line 1
        source.Append("\n");                                              // 2
        source.Append("public static class Calls\n");                     // 3
        source.Append("{\n");                                             // 4
        source.Append("    public static object[] All()\n");              // 5
        source.Append("    {\n");                                         // 6
        foreach (var call in BannedCalls)
        {
            source.Append("        ").Append(call).Append('\n');          // 7 ...
        }
        source.Append("        return [wallClock, file, random, delay, native, ticks, clock, host, variable ?? \"\", timeout];\n");
        source.Append("    }\n}\n");
        File.WriteAllText(Path.Combine(dir, "Probe.cs"), source.ToString());
        return dir;
    }

    private static (int Exit, string Output) Build(string dir)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "build", "Probe.csproj", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
        {
            start.ArgumentList.Add(arg);
        }
        // The test host's MSBuild variables would point the nested build at the test run's SDK state.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(key);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build of {dir} took longer than {BuildLimit}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
