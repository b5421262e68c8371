using Microsoft.Playwright;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>Stock noVNC through the gateway's relay, opened the way a user does it: sign in, then "Open with noVNC" on the target list.</summary>
internal static class NoVncPage
{
    /// <summary>
    /// Opens a 900x600 browser context, signs in as <paramref name="user"/>, opens <paramref name="targetId"/> with noVNC and
    /// waits until noVNC says it is connected. The caller closes the returned page's context.
    /// </summary>
    public static async Task<IPage> OpenAsync(ChromiumBrowser chromium, GatewayUnderTest gateway, string user, string password, string targetId)
    {
        var origin = gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        var context = await chromium.NewContextAsync(options: new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 900, Height = 600 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(origin + "/");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin");
        await page.ClickAsync($"[data-target-id=\"{targetId}\"] .open-novnc");
        await page.WaitForURLAsync($"**/novnc/?target={targetId}");
        await page.WaitForSelectorAsync("body[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        return page;
    }
}
