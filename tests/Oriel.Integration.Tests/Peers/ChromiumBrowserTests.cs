using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Peers;

public sealed class ChromiumBrowserTests
{
    [Fact(Timeout = 120_000)]
    public async Task Launches_debian_chromium_headless_and_runs_script()
    {
        await using var chromium = await ChromiumBrowser.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.SetContentAsync("<p id=x>oriel</p>");
        Assert.Equal("oriel", await page.InnerTextAsync("#x"));
        Assert.Equal(42, await page.EvaluateAsync<int>("() => 6 * 7"));
        Assert.True(Directory.Exists(Path.Combine(chromium.HomeDirectory, ".config")));
    }
}
