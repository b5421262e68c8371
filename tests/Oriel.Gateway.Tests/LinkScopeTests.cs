using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Links;
using Oriel.Gateway.Security;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A sign-in session opened by a Web Desktop link reaches only the link's target (docs/links.md, "Scope"): other
/// desktops, the target list, account changes, administrator APIs and link making are closed to it; a password
/// sign-in is unaffected; the scope lives in the session row and the revalidator keeps applying it.
/// </summary>
public sealed class LinkScopeTests
{
    private const string BobPassword = "bob-password-123";
    private const string RootPassword = "root2-password-1";

    /// <summary>Two targets bob's role grants ("desk", "desk2"), bob, a second administrator root2, and the first-run admin's client.</summary>
    private static async Task<(TestGateway Gw, ApiClient Admin)> StartAsync()
    {
        var gw = await TestGateway.StartAsync();
        foreach (var (id, name) in new[] { ("desk", "Desk"), ("desk2", "Desk two") })
        {
            await gw.Get<TargetService>().SaveAsync(
                new TargetRecord(id, name, "127.0.0.1", 5999, "", new Dictionary<string, string> { ["env"] = "links" }, null, null, new VncTargetSettings(["none"],
                    TlsVerification.System, null), false),
                null, "test");
        }

        await gw.Get<RoleService>().SaveAsync(
            new RoleRecord("desk-users", "", [], [new Dictionary<string, string> { ["env"] = "links" }], false, false, true, null, false), "test");
        await gw.Get<UserService>().CreateAsync("bob", BobPassword, false, ["desk-users"], false, "test");
        await gw.Get<UserService>().CreateAsync("root2", RootPassword, true, [], false, "test");
        return (gw, await gw.AdminClientAsync());
    }

    private static async Task<string> CreateLinkAsync(ApiClient admin, string user, string target)
    {
        using var r = await admin.PostJsonAsync("/api/links", new { user, target });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task OpenLinkAsync(ApiClient browser, string token)
    {
        using var r = await browser.Http.GetAsync("/link/" + token);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
    }

    private static async Task<List<string>> TargetIdsAsync(ApiClient browser) =>
        [.. (await browser.GetJsonAsync("/api/targets")).EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];

    private static async Task<string?> ScopeAsync(ApiClient browser)
    {
        var scope = (await browser.GetJsonAsync("/api/me")).GetProperty("scope");
        return scope.ValueKind == JsonValueKind.Null ? null : scope.GetString();
    }

    /// <summary>The HTTP status of a session WebSocket upgrade with <paramref name="browser"/>'s cookies, from the gateway's own origin.</summary>
    private static async Task<HttpStatusCode> OpenSocketAsync(TestGateway gw, ApiClient browser, string path)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = browser.Cookies;
        try
        {
            await ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None);
            ws.Abort();
        }
        catch (WebSocketException)
        {
        }

        return ws.HttpStatusCode;
    }

    private static async Task<(HttpStatusCode Status, string? Error)> PostAsync(ApiClient browser, string path, object body)
    {
        using var r = await browser.PostJsonAsync(path, body);
        var text = await r.Content.ReadAsStringAsync();
        var error = text.Length > 0 && JsonDocument.Parse(text).RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        return (r.StatusCode, error);
    }

    [Fact]
    public async Task ALinkOpenedBrowser_ReachesOnlyTheLinksTarget()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        using var browser = gw.NewClient();
        await OpenLinkAsync(browser, await CreateLinkAsync(admin, "bob", "desk"));

        var me = await browser.GetJsonAsync("/api/me");
        Assert.Equal("bob", me.GetProperty("username").GetString());
        Assert.Equal("desk", me.GetProperty("scope").GetString());
        Assert.Equal(["desk"], await TargetIdsAsync(browser));

        // Its own desktop opens; the other desktop bob's role grants does not, rendered or passthrough.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenSocketAsync(gw, browser, "/api/sessions/desk/tdp"));
        Assert.Equal(HttpStatusCode.Forbidden, await OpenSocketAsync(gw, browser, "/api/sessions/desk2/tdp"));
        Assert.Equal(HttpStatusCode.Forbidden, await OpenSocketAsync(gw, browser, "/api/sessions/desk2/rfb"));
        var denied = (await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionDenied })).Where(e => e.Target == "desk2").ToList();
        Assert.Equal(2, denied.Count);
        Assert.All(denied, e => Assert.Equal("bob", e.Actor));
        Assert.All(denied, e => Assert.Contains(SessionScope.OtherTarget, e.Details!.ToJsonString(), StringComparison.Ordinal));

        // Account changes and link making are refused with 403 and a sentence; the password is untouched.
        Assert.Equal((HttpStatusCode.Forbidden, SessionScope.EndpointRefused),
            await PostAsync(browser, "/api/auth/password", new { currentPassword = BobPassword, newPassword = "bob-new-password-1" }));
        Assert.Equal((HttpStatusCode.Forbidden, SessionScope.EndpointRefused), await PostAsync(browser, "/api/links", new { user = "bob", target = "desk2" }));
        using (var bobByPassword = gw.NewClient())
        {
            (await bobByPassword.SignInAsync("bob", BobPassword)).EnsureSuccessStatusCode();
        }

        // Signing out still works.
        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(browser, "/api/auth/signout", new { })).Status);
        using var after = await browser.Http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task AnAdministratorsLinkSession_IsNoAdministratorSession()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        using var browser = gw.NewClient();
        await OpenLinkAsync(browser, await CreateLinkAsync(admin, "root2", "desk2"));

        var me = await browser.GetJsonAsync("/api/me");
        Assert.Equal("root2", me.GetProperty("username").GetString());
        Assert.False(me.GetProperty("isAdmin").GetBoolean());
        Assert.Equal("desk2", me.GetProperty("scope").GetString());
        Assert.Equal(["desk2"], await TargetIdsAsync(browser));
        foreach (var path in new[] { "/api/audit", "/api/audit/verify", "/api/admin/users", "/api/admin/roles", "/api/admin/targets" })
        {
            using var r = await browser.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(browser, "/api/links", new { user = "bob", target = "desk" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await PostAsync(browser, "/api/auth/password", new { currentPassword = RootPassword, newPassword = "root2-new-password-1" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, await OpenSocketAsync(gw, browser, "/api/sessions/desk/tdp"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenSocketAsync(gw, browser, "/api/sessions/desk2/tdp"));
        Assert.Single(await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = LinkAuditKinds.Create }));
    }

    [Fact]
    public async Task APasswordSignIn_IsUnaffected()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        using var bob = gw.NewClient();
        (await bob.SignInAsync("bob", BobPassword)).EnsureSuccessStatusCode();
        Assert.Null(await ScopeAsync(bob));
        Assert.Equal(["desk", "desk2"], (await TargetIdsAsync(bob)).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenSocketAsync(gw, bob, "/api/sessions/desk2/tdp"));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(bob, "/api/auth/password", new { currentPassword = BobPassword, newPassword = "bob-new-password-1" })).Status);

        Assert.Null(await ScopeAsync(admin));
        using var audit = await admin.Http.GetAsync("/api/audit");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
    }

    [Fact]
    public async Task ALinkNeverDowngradesAPasswordSignIn_NorWidensAScope()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        const string Cookie = Hosting.GatewayHost.CookieName;
        async Task<bool> LastUseMadeASession() =>
            (await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = LinkAuditKinds.Use, Limit = 1 })).Single().Details!["newSession"]!.GetValue<bool>();

        // Signed in with the password: the link keeps that session, which still reaches both desktops.
        using var signedIn = gw.NewClient();
        (await signedIn.SignInAsync("bob", BobPassword)).EnsureSuccessStatusCode();
        var before = signedIn.Cookie(Cookie);
        await OpenLinkAsync(signedIn, await CreateLinkAsync(admin, "bob", "desk"));
        Assert.Equal(before, signedIn.Cookie(Cookie));
        Assert.False(await LastUseMadeASession());
        Assert.Null(await ScopeAsync(signedIn));
        Assert.Equal(2, (await TargetIdsAsync(signedIn)).Count);

        // A link-opened browser: a second link to the same desktop keeps the session ...
        using var browser = gw.NewClient();
        await OpenLinkAsync(browser, await CreateLinkAsync(admin, "bob", "desk"));
        Assert.True(await LastUseMadeASession());
        var first = browser.Cookie(Cookie);
        await OpenLinkAsync(browser, await CreateLinkAsync(admin, "bob", "desk"));
        Assert.Equal(first, browser.Cookie(Cookie));
        Assert.False(await LastUseMadeASession());

        // ... a link to another desktop replaces it with a session for that one only (never both).
        await OpenLinkAsync(browser, await CreateLinkAsync(admin, "bob", "desk2"));
        Assert.True(await LastUseMadeASession());
        Assert.NotEqual(first, browser.Cookie(Cookie));
        Assert.Equal("desk2", await ScopeAsync(browser));
        Assert.Equal(["desk2"], await TargetIdsAsync(browser));
    }

    [Fact]
    public async Task TheScopeLivesInTheSessionRow_AndTheRevalidatorKeepsApplyingIt()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var store = gw.Get<IOrielStore>();
        var root2 = (await store.FindUserByNameAsync("root2"))!;
        var now = gw.Get<TimeProvider>().GetUtcNow();
        var sessionId = Secrets.NewToken();
        await store.CreateSignInSessionAsync(
            new SignInSessionRecord(Secrets.Sha256Hex(sessionId), root2.Id, now, now, now.AddHours(1), null, null, ScopeTargetId: "desk"));
        Assert.Equal("desk", (await store.FindSignInSessionAsync(Secrets.Sha256Hex(sessionId)))!.ScopeTargetId);

        // A cookie principal without the scope claim still comes back scoped, and without the administrator role.
        var cookie = OrielClaims.Create(root2, sessionId);
        Assert.True(cookie.IsAdmin());
        var fresh = await gw.Get<SignInService>().ValidateAsync(cookie, CancellationToken.None);
        Assert.NotNull(fresh);
        Assert.Equal("desk", fresh.GetSessionScope());
        Assert.False(fresh.IsAdmin());

        var access = gw.Get<IAccessService>();
        Assert.True((await access.AuthorizeSessionAsync(fresh, "desk", CancellationToken.None)).Allowed);
        var other = await access.AuthorizeSessionAsync(fresh, "desk2", CancellationToken.None);
        Assert.False(other.Allowed);
        Assert.Equal(SessionScope.OtherTarget, other.Reason);
        Assert.Equal(["desk"], (await gw.Get<AccessService>().ListAccessibleTargetsAsync(root2.Id, "desk", CancellationToken.None)).Select(a => a.Target.Id));

        // Live sessions holding that principal: the one on its target stays, one on another target is ended.
        var broker = gw.Get<SessionBroker>();
        var onScope = broker.TryAdmit(root2.Id, root2.Username, "desk", "vnc", "tdp", null, 0)!;
        var offScope = broker.TryAdmit(root2.Id, root2.Username, "desk2", "vnc", "tdp", null, 0)!;
        onScope.Principal = fresh;
        offScope.Principal = fresh;
        try
        {
            await gw.Get<SessionRevalidator>().RevalidateAllAsync(CancellationToken.None);
            Assert.False(onScope.Terminated.IsCancellationRequested);
            Assert.True(offScope.Terminated.IsCancellationRequested);
            Assert.Contains(SessionScope.OtherTarget, offScope.TerminationReason, StringComparison.Ordinal);
        }
        finally
        {
            broker.Remove(onScope);
            broker.Remove(offScope);
        }

        // A session row without a scope is an ordinary sign-in.
        var plainId = Secrets.NewToken();
        await store.CreateSignInSessionAsync(new SignInSessionRecord(Secrets.Sha256Hex(plainId), root2.Id, now, now, now.AddHours(1), null, null));
        Assert.Null((await store.FindSignInSessionAsync(Secrets.Sha256Hex(plainId)))!.ScopeTargetId);
        var plain = await gw.Get<SignInService>().ValidateAsync(OrielClaims.Create(root2, plainId, scopeTargetId: "desk"), CancellationToken.None);
        Assert.NotNull(plain);
        Assert.Null(plain.GetSessionScope());
        Assert.True(plain.IsAdmin());
    }
}
