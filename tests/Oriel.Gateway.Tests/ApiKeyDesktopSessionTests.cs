using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Oriel.Gateway.Access;
using Oriel.Gateway.ApiKeys;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Links;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// "A key never opens a session" (docs/api-keys.md), tried as an attacker holding a portal's key: the key cannot
/// make a link for its own account (however the name is spelt), not even an administrator's key, so it never gets a
/// sign-in cookie of its own; the session routes refuse it; making links for other people keeps working.
/// </summary>
public sealed class ApiKeyDesktopSessionTests
{
    private static async Task<(TestGateway Gw, ApiClient Admin)> StartAsync()
    {
        var gw = await TestGateway.StartAsync();
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("desk", "desk", "127.0.0.1", 5999, "", new Dictionary<string, string> { ["env"] = "links" }, null, null, new VncTargetSettings(["none"],
                TlsVerification.System, null), false),
            null, "test");
        var roles = gw.Get<RoleService>();
        await roles.SaveAsync(new RoleRecord("desk-users", "", [], [new Dictionary<string, string> { ["env"] = "links" }], false, false, true, null, false), "test");
        await roles.SaveAsync(
            new RoleRecord("portal", "", [], [new Dictionary<string, string> { ["env"] = "links" }], false, false, true, null, false) with { CreateLinks = true }, "test");
        var users = gw.Get<UserService>();
        await users.CreateAsync("bob", "bob-password-123", false, ["desk-users"], false, "test");
        // With a password of its own (a portal account made by `oriel users add` must change its one-time password
        // first, which alone keeps it off desktops; one with a password set is the account an attacker wants).
        await users.CreateAsync("svc-portal", "svc-portal-password-1", false, ["portal"], false, "test");
        return (gw, await gw.AdminClientAsync());
    }

    /// <summary>A server-to-server call: no cookies, no CSRF header, the key as a bearer token.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> MintAsync(TestGateway gw, string key, string user, string target = "desk")
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = gw.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/links") { Content = JsonContent.Create(new { user, target }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        AssertNoSignInCookie(response);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static void AssertNoSignInCookie(HttpResponseMessage response) =>
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith(Hosting.GatewayHost.CookieName + "=", StringComparison.Ordinal));

    private static async Task<IReadOnlyList<AuditEvent>> AuditAsync(TestGateway gw, string kind) =>
        await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = kind, Limit = 100, OldestFirst = true });

    [Fact]
    public async Task APortalKey_CannotMakeALinkForItsOwnAccount_HoweverSpelt_ButStillForOthers()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var key = (await gw.Get<ApiKeyService>().CreateAsync("portal", "svc-portal", null, "test")).Secret;
        var keyId = (await gw.Get<ApiKeyService>().ListAsync()).Single().Id;

        // The portal's account may itself open the target (its role grants it), so only the new rule stands in the way.
        var portalUser = (await gw.Get<IOrielStore>().FindUserByNameAsync("svc-portal"))!;
        Assert.True((await gw.Get<IAccessService>().AuthorizeSessionAsync(OrielClaims.Create(portalUser, ""), "desk", CancellationToken.None)).Allowed);

        foreach (var spelling in new[] { "svc-portal", "SVC-Portal", "  svc-portal " })
        {
            var (status, body) = await MintAsync(gw, key, spelling);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal(LinkService.OwnAccountReason, body.GetProperty("error").GetString());
        }

        var denied = await AuditAsync(gw, LinkAuditKinds.CreateDenied);
        Assert.Equal(3, denied.Count);
        Assert.All(denied, e =>
        {
            Assert.Equal("svc-portal", e.Actor);
            Assert.Equal("desk", e.Target);
            Assert.Equal(LinkService.OwnAccountReason, e.Details!["reason"]!.GetValue<string>());
            Assert.Equal(keyId, e.Details["apiKey"]!.GetValue<string>());
        });
        Assert.Empty(await AuditAsync(gw, LinkAuditKinds.Create));

        // The intended feature: a link for someone else, which opens that person's desktop in a browser.
        var (created, link) = await MintAsync(gw, key, "bob");
        Assert.Equal(HttpStatusCode.Created, created);
        using var browser = gw.NewClient();
        using (var open = await browser.Http.GetAsync("/link/" + link.GetProperty("token").GetString()))
        {
            Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        }

        Assert.Equal("bob", (await browser.GetJsonAsync("/api/me")).GetProperty("username").GetString());
        Assert.Equal(keyId, (await AuditAsync(gw, LinkAuditKinds.Create)).Single().Details!["apiKey"]!.GetValue<string>());

        // A person signed in with a cookie who holds createLinks may still make a link for themselves (they are
        // signed in already; nothing is gained), and the command line may make any link: the rule is about keys.
        await gw.Get<UserService>().CreateAsync("carol", "carol-password-123", false, ["portal"], false, "test");
        using var carol = gw.NewClient();
        (await carol.SignInAsync("carol", "carol-password-123")).EnsureSuccessStatusCode();
        using (var self = await carol.PostJsonAsync("/api/links", new { user = "carol", target = "desk" }))
        {
            Assert.Equal(HttpStatusCode.Created, self.StatusCode);
        }

        Assert.True((await gw.Get<IAuditLog>().VerifyChainAsync()).IsValid);
    }

    [Fact]
    public async Task AnAdministratorsKey_CannotMakeALinkForItsOwnAccount_NorOpenASessionByAnyRoute()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var key = (await gw.Get<ApiKeyService>().CreateAsync("admin-key", "admin", null, "test")).Secret;

        var (status, body) = await MintAsync(gw, key, "admin");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(LinkService.OwnAccountReason, body.GetProperty("error").GetString());
        Assert.Equal("admin", (await AuditAsync(gw, LinkAuditKinds.CreateDenied)).Single().Actor);

        // The administrator's own cookie session may (links for administrators are made by administrators).
        using (var own = await admin.PostJsonAsync("/api/links", new { user = "admin", target = "desk" }))
        {
            Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        }

        // The session routes: the WebSockets answer 401 to the key, and the link page signs nobody in for it.
        foreach (var path in new[] { "/api/sessions/desk/tdp", "/api/sessions/desk/rfb" })
        {
            using var ws = new ClientWebSocket();
            ws.Options.CollectHttpResponseDetails = true;
            ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
            ws.Options.SetRequestHeader("Authorization", "Bearer " + key);
            await Assert.ThrowsAnyAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, ws.HttpStatusCode);
        }

        // Presenting a key there is audited, once per address and window (the key is not even checked).
        var wrongUse = Assert.Single(await AuditAsync(gw, ApiKeyAuditKinds.WrongUse));
        Assert.Equal("/api/sessions/desk/tdp", wrongUse.Details!["path"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", wrongUse.ClientIp);

        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = gw.BaseAddress };
        foreach (var path in new[] { "/api/me", "/api/targets" })
        {
            // A key is no sign-in: no cookie is ever set on its answers.
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertNoSignInCookie(response);
        }
    }
}
