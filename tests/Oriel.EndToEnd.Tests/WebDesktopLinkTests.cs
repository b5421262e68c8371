using Microsoft.Playwright;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Links;
using Oriel.Gateway.Storage;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// Web Desktop links in a real headless Chromium, through the real gateway, to a real Xvnc: a link opens the desktop
/// in a fresh browser with no sign-in page, and that browser reaches that desktop only; a reused link, or a link for
/// someone else followed from a portal page in a browser already signed in, shows the refusal page.
/// </summary>
public sealed class WebDesktopLinkTests : IAsyncLifetime
{
    private const string User = "dave";
    private const string Password = "dave-password-1";
    private const string Other = "erin";
    private const string OtherPassword = "erin-password-1";

    /// <summary>A pretend portal on another site (served by Playwright, never the network) with a "Web Desktop" button.</summary>
    private const string PortalUrl = "http://portal.example/instances";

    private XvncServer _xvnc = null!;
    private GatewayUnderTest _gateway = null!;
    private ChromiumBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        // No VNC password: stock noVNC speaks RFB itself and would prompt for one (the built-in viewer would not).
        _xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 640, Height = 480, Security = [XvncSecurity.None] });
        _gateway = await GatewayUnderTest.StartAsync(withWebClient: true);
        await _gateway.CreateUserAsync(User, Password);
        await _gateway.CreateUserAsync(Other, OtherPassword);
        await _gateway.AddVncTargetAsync("lab", _xvnc.Port, ["none"]);
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _gateway.DisposeAsync();
        await _xvnc.DisposeAsync();
    }

    private string Origin => _gateway.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>What <c>oriel links create --user U --target T</c> does, through the same service.</summary>
    private Task<CreatedLink> CreateLinkAsync(string user = User, LinkViewer viewer = LinkViewer.Builtin) =>
        _gateway.Get<LinkService>().CreateAsync(user, "lab", viewer, null, "tests", null, CancellationToken.None);

    private static async Task WaitForDesktopAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#desktop[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#desktop').dataset.frames) > 0", null,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
    }

    /// <summary>Opens the portal page in <paramref name="page"/> and clicks its button to <paramref name="linkUrl"/>: a cross-site navigation.</summary>
    private static async Task FollowFromPortalAsync(IPage page, string linkUrl)
    {
        await page.RouteAsync(PortalUrl, route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $"<!doctype html><title>Portal</title><a id=\"web-desktop\" href=\"{linkUrl}\">Web Desktop</a>",
        }));
        await page.GotoAsync(PortalUrl);
        await page.ClickAsync("#web-desktop");
    }

    [Fact]
    public async Task ALinkOpensTheDesktopWithoutASignInPage_AndCannotBeUsedTwice()
    {
        var link = await CreateLinkAsync();
        var url = link.UrlUnder(Origin);

        var context = await _chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(url);
        Assert.NotNull(response);
        await WaitForDesktopAsync(page);
        Assert.EndsWith("/#/desktop/lab", page.Url, StringComparison.Ordinal);
        Assert.Null(await page.QuerySelectorAsync("#username"));
        Assert.Null(await page.QuerySelectorAsync("#signin"));
        var use = (await _gateway.AuditAsync(LinkAuditKinds.Use)).Single();
        Assert.Equal(User, use.Actor);
        var start = await SessionIsolationTests.WaitForAuditAsync(_gateway, e => e.Target == "lab", AuditKinds.SessionStart);
        Assert.Equal(User, start.Actor);

        // The same link in another fresh browser: the refusal page, 410, and an audit event.
        var other = await (await _chromium.NewContextAsync()).NewPageAsync();
        var again = await other.GotoAsync(url);
        Assert.Equal(410, again!.Status);
        Assert.Equal("used", await other.GetAttributeAsync("#link-refused", "data-reason"));
        Assert.Contains("opened already", await other.InnerTextAsync("#link-reason"), StringComparison.Ordinal);
        Assert.Contains(await _gateway.AuditAsync(LinkAuditKinds.Refused), e => e.Details!["reason"]!.GetValue<string>() == "used");
        await context.CloseAsync();
    }

    [Fact]
    public async Task FromAPortalOnAnotherSite_ABrowserSignedInAsSomeoneElseIsRefused_AFreshOneGetsTheDesktop()
    {
        var link = await CreateLinkAsync();
        var url = link.UrlUnder(Origin);

        // Erin is signed in in this browser; the portal's link is Dave's.
        var erin = await (await _chromium.NewContextAsync()).NewPageAsync();
        await erin.GotoAsync(Origin + "/");
        await erin.FillAsync("#username", Other);
        await erin.FillAsync("#password", OtherPassword);
        await erin.ClickAsync("#signin");
        await erin.WaitForSelectorAsync("[data-target-id=\"lab\"]");
        await FollowFromPortalAsync(erin, url);
        await erin.WaitForSelectorAsync("#link-refused", new PageWaitForSelectorOptions { Timeout = 10_000 });
        Assert.Equal("wrong-user", await erin.GetAttributeAsync("#link-refused", "data-reason"));
        Assert.Contains("Sign out first", await erin.InnerTextAsync("#link-reason"), StringComparison.Ordinal);
        var refused = (await _gateway.AuditAsync(LinkAuditKinds.Refused)).First();
        Assert.Equal("wrong-user", refused.Details!["reason"]!.GetValue<string>());

        // Not consumed: Dave's own fresh browser, coming from the portal, gets the desktop.
        var dave = await (await _chromium.NewContextAsync()).NewPageAsync();
        await FollowFromPortalAsync(dave, url);
        await WaitForDesktopAsync(dave);
        Assert.Null(await dave.QuerySelectorAsync("#username"));
        Assert.Equal(User, (await _gateway.AuditAsync(LinkAuditKinds.Use)).Single().Actor);
    }

    [Fact]
    public async Task ALinkOpenedBrowser_ListsOnlyTheLinksDesktop_AndCannotOpenAnother()
    {
        // Dave's role grants a second desktop; a password sign-in lists both.
        await _gateway.AddVncTargetAsync("lab2", _xvnc.Port, ["none"]);
        var signedIn = await (await _chromium.NewContextAsync()).NewPageAsync();
        await signedIn.GotoAsync(Origin + "/");
        await signedIn.FillAsync("#username", User);
        await signedIn.FillAsync("#password", Password);
        await signedIn.ClickAsync("#signin");
        await signedIn.WaitForSelectorAsync("[data-target-id=\"lab2\"]");
        Assert.Equal(["lab", "lab2"], (await TargetIdsAsync(signedIn)).Order(StringComparer.Ordinal));

        // The link's browser opens its desktop, then the target list shows that desktop alone.
        var page = await (await _chromium.NewContextAsync()).NewPageAsync();
        await page.GotoAsync((await CreateLinkAsync()).UrlUnder(Origin));
        await WaitForDesktopAsync(page);
        await page.GotoAsync(Origin + "/#/");
        await page.WaitForSelectorAsync("[data-target-id=\"lab\"]");
        Assert.Equal(["lab"], await TargetIdsAsync(page));

        // Typing the other desktop's address does not connect: the gateway refuses the WebSocket (403).
        await page.GotoAsync(Origin + "/#/desktop/lab2");
        await page.WaitForSelectorAsync("#desktop[data-state=\"error\"], #desktop[data-state=\"ended\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
        var denied = await SessionIsolationTests.WaitForAuditAsync(_gateway, e => e.Target == "lab2", AuditKinds.SessionDenied);
        Assert.Equal(User, denied.Actor);
        Assert.Equal(Oriel.Gateway.Identity.SessionScope.OtherTarget, denied.Details!["reason"]!.GetValue<string>());
        Assert.DoesNotContain(await _gateway.AuditAsync(AuditKinds.SessionStart), e => e.Target == "lab2");
    }

    private static async Task<string[]> TargetIdsAsync(IPage page) =>
        await page.EvalOnSelectorAllAsync<string[]>("[data-target-id]", "items => items.map(i => i.dataset.targetId)");

    [Fact]
    public async Task ANoVncLinkOpensTheNoVncPage()
    {
        var link = await CreateLinkAsync(viewer: LinkViewer.NoVnc);
        var page = await (await _chromium.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(link.UrlUnder(Origin));
        await page.WaitForURLAsync("**/novnc/?target=lab");
        await page.WaitForSelectorAsync("body[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = 20_000 });
    }
}
