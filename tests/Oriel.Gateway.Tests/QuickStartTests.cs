using System.Net;
using System.Text.RegularExpressions;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.TestPeers;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The README's quick start from a shell: the gateway started the way <c>scripts/start</c> starts it
/// (<c>scripts/oriel serve</c> with the operator's own <c>--urls</c> and <c>--data</c>), and the command the
/// first-start banner prints, run exactly as printed from the repository root after the README's one command
/// that makes <c>oriel</c> a command (<c>alias oriel=…</c>).
/// </summary>
public sealed partial class QuickStartTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The clone this test was built from (the directory holding Oriel.sln and scripts/oriel).</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oriel.sln")) && File.Exists(Path.Combine(dir.FullName, "scripts", "oriel")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Oriel.sln with scripts/oriel above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task TheBannersCommandWorksAsPrinted_WithTheReadmesOrielCommand_AndServeTakesTheOperatorsUrlsAndData()
    {
        var root = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var alias = AliasLine().Match(readme);
        Assert.True(alias.Success, "the README names no `alias oriel=…` command");

        var data = Path.Combine(TestGateway.NewDataDir(), "my data"); // a space: the printed --data must be quoted
        try
        {
            // What `scripts/start --urls … --data …` ends in (its last line: exec scripts/oriel serve "$@").
            await using var gateway = ManagedProcess.Start(
                [Path.Combine(root, "scripts", "oriel"), "serve", "--urls", "http://127.0.0.1:0", "--data", data, "--web-root", Path.Combine(data, "none")],
                workingDirectory: root);
            await gateway.WaitForOutputAsync("==========", StartTimeout);
            await gateway.WaitForOutputAsync("oriel users passwd", TimeSpan.FromSeconds(10));
            var banner = gateway.RecentOutput;
            var url = SignInLine().Match(banner);
            Assert.True(url.Success, banner);
            Assert.StartsWith("http://127.0.0.1:", url.Groups[1].Value, StringComparison.Ordinal); // --urls was honoured
            Assert.True(File.Exists(Path.Combine(data, GatewayOptions.DatabaseFileName)), "--data was honoured");
            var printed = CommandLine().Match(banner);
            Assert.True(printed.Success, banner);
            var command = printed.Groups[1].Value.Trim();

            // The README's line, then the banner's, in one non-interactive bash (aliases on, as in an interactive shell).
            var run = await ProcessRunner.RunAsync(
                ["bash", "-O", "expand_aliases", "-c", alias.Value + "\n" + command],
                timeout: StartTimeout,
                workingDirectory: root);
            Assert.True(run.ExitCode == 0, $"`{command}` exited {run.ExitCode}: {run.StandardOutputText} {run.StandardError}");
            var oneTime = OneTimePassword().Match(run.StandardOutputText);
            Assert.True(oneTime.Success, run.StandardOutputText);

            // The command acted on the running gateway's database: the new one-time password signs in, the old one not.
            var gatewayUrl = new Uri(url.Groups[1].Value);
            Assert.Equal(HttpStatusCode.OK, await SignInAsync(gatewayUrl, oneTime.Groups[1].Value));
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(gatewayUrl, PasswordLine().Match(banner).Groups[1].Value));
            await gateway.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(data)!, recursive: true);
        }
    }

    [Fact]
    public void TheBannerNamesDataOnlyWhenItIsNotTheDefault_AndQuotesIt()
    {
        var plain = FirstRunSetup.Instructions("http://127.0.0.1:8080/", "admin", "pw", "data");
        Assert.Equal("oriel users passwd admin", CommandLine().Match(plain).Groups[1].Value.Trim());
        var elsewhere = FirstRunSetup.Instructions("http://127.0.0.1:8080/", "admin", "pw", "/srv/it's here");
        Assert.Equal("oriel users passwd admin --data '/srv/it'\\''s here'", CommandLine().Match(elsewhere).Groups[1].Value.Trim());
        Assert.Equal("http://127.0.0.1:8080/", FirstRunSetup.SignInUrl([], new Uri("http://0.0.0.0:8080")));
        Assert.Equal("http://[::1]:8080/", FirstRunSetup.SignInUrl([], new Uri("http://[::]:8080")));
        Assert.Equal("https://oriel.example.org", FirstRunSetup.SignInUrl(["https://oriel.example.org"], new Uri("http://0.0.0.0:8080")));
    }

    private static async Task<HttpStatusCode> SignInAsync(Uri gateway, string password)
    {
        using var client = new ApiClient(gateway);
        using var r = await client.SignInAsync("admin", password);
        return r.StatusCode;
    }

    [GeneratedRegex(@"^alias oriel=.*$", RegexOptions.Multiline)]
    private static partial Regex AliasLine();

    [GeneratedRegex(@"Sign in at:\s+(\S+)")]
    private static partial Regex SignInLine();

    [GeneratedRegex(@"Password:\s+(\S+)")]
    private static partial Regex PasswordLine();

    [GeneratedRegex(@"Run:\s*\n\s*(oriel [^\n]*)")]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"one-time password: (\S+)")]
    private static partial Regex OneTimePassword();
}
