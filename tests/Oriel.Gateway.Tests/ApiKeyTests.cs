using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Access;
using Oriel.Gateway.ApiKeys;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Cli;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Links;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// API keys (secret form, CLI, bearer authentication, throttling, audit) and the <c>createLinks</c> role flag that
/// lets a portal account make Web Desktop links for the targets its role grants. docs/api-keys.md.
/// </summary>
public sealed class ApiKeyTests
{
    // ---- The secret's form. Vector computed with Python: "oriel_" + urlsafe_b64encode(bytes(range(32))).rstrip("="),
    // hashlib.sha256(secret.encode()).hexdigest().
    private const string VectorSecret = "oriel_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    private const string VectorHash = "cc4e31d8d6aaca098c9af1007768b2ee7e2d74bac93750f29654ae6c47cdbdf4";

    [Fact]
    public void Secret_Vector_HasItsPrefixAndHash()
    {
        Assert.Equal(ApiKeySecret.Length, VectorSecret.Length);
        Assert.True(ApiKeySecret.TryGetPrefix(VectorSecret, out var prefix));
        Assert.Equal("AAECAwQF", prefix);
        Assert.Equal(VectorHash, ApiKeySecret.HashHex(VectorSecret));
        Assert.True(ApiKeySecret.Matches(ApiKeySecret.Hash(VectorSecret), VectorHash));
        Assert.False(ApiKeySecret.Matches(ApiKeySecret.Hash(VectorSecret + "x"), VectorHash));
        Assert.False(ApiKeySecret.Matches(ApiKeySecret.Hash(VectorSecret), VectorHash[..^2]));
        Assert.False(ApiKeySecret.Matches(ApiKeySecret.Hash(VectorSecret), VectorHash[..^2] + "zz"));
    }

    [Fact]
    public void NewSecrets_HaveTheForm_AndDiffer()
    {
        var a = ApiKeySecret.New();
        var b = ApiKeySecret.New();
        Assert.NotEqual(a, b);
        Assert.StartsWith("oriel_", a, StringComparison.Ordinal);
        Assert.True(ApiKeySecret.TryGetPrefix(a, out var p));
        Assert.Equal(a.Substring(6, ApiKeySecret.PrefixLength), p);
    }

    [Theory]
    [InlineData("")]
    [InlineData("oriel_")]
    [InlineData(VectorSecret + "A")]                                 // too long
    [InlineData("Oriel_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")]  // marker is case-sensitive
    [InlineData("orielxAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")]
    [InlineData("oriel_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9")]  // non-canonical: unused low bits set
    [InlineData("oriel_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+")]  // not base64url
    [InlineData("oriel_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH=8")]
    [InlineData("oriel_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd h8")]
    public void MalformedSecrets_HaveNoPrefix(string secret)
    {
        Assert.False(ApiKeySecret.TryGetPrefix(secret, out var prefix));
        Assert.Equal("", prefix);
    }

    [Fact]
    public void Fuzz_RandomAndMutatedSecrets_AreAcceptedOrRefused_NeverThrow()
    {
        var rng = new Random(4242);
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .\u00e9\0";
        for (var i = 0; i < 20_000; i++)
        {
            string s;
            if (i % 2 == 0)
            {
                s = new string([.. Enumerable.Range(0, rng.Next(0, 70)).Select(_ => chars[rng.Next(chars.Length)])]);
            }
            else
            {
                var a = VectorSecret.ToCharArray();
                for (var m = rng.Next(1, 4); m > 0; m--)
                {
                    a[rng.Next(a.Length)] = chars[rng.Next(chars.Length)];
                }

                s = new string(a);
            }

            if (ApiKeySecret.TryGetPrefix(s, out var prefix))
            {
                Assert.Equal(ApiKeySecret.PrefixLength, prefix.Length);
                Assert.Equal(s.Substring(6, ApiKeySecret.PrefixLength), prefix);
            }

            _ = ApiKeySecret.Matches(ApiKeySecret.Hash(s), VectorHash);
        }
    }

    [Theory]
    [InlineData("90d", 90 * 24)]
    [InlineData("12h", 12)]
    [InlineData("1d", 24)]
    public void Lifetimes_Parse(string text, int hours) => Assert.Equal(TimeSpan.FromHours(hours), OrielCli.ParseLifetime(text));

    [Theory]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("90")]
    [InlineData("3w")]
    [InlineData("d")]
    [InlineData("1.5d")]
    public void BadLifetimes_AreRefused(string text) => Assert.Throws<ArgumentException>(() => OrielCli.ParseLifetime(text));

    [Fact]
    public void NoLifetime_IsNever()
    {
        Assert.Null(OrielCli.ParseLifetime(null));
        Assert.Null(OrielCli.ParseLifetime("never"));
    }

    // ---- The gateway over HTTP.

    /// <summary>
    /// Targets desk (env=links) and other (env=elsewhere); role desk-users grants desk, other-users grants other;
    /// role portal grants desk with createLinks; role portal-plain grants desk without it. bob may open both targets;
    /// svc-portal holds portal, svc-plain holds portal-plain.
    /// </summary>
    private static async Task<(TestGateway Gw, ApiClient Admin)> StartAsync(Action<Configuration.GatewayOptions>? configure = null)
    {
        var gw = await TestGateway.StartAsync(configure);
        var targets = gw.Get<TargetService>();
        await targets.SaveAsync(Target("desk", "links"), null, "test");
        await targets.SaveAsync(Target("other", "elsewhere"), null, "test");
        var roles = gw.Get<RoleService>();
        await roles.SaveAsync(Role("desk-users", "links"), "test");
        await roles.SaveAsync(Role("other-users", "elsewhere"), "test");
        await roles.SaveAsync(Role("portal", "links") with { CreateLinks = true }, "test");
        await roles.SaveAsync(Role("portal-plain", "links"), "test");
        var users = gw.Get<UserService>();
        await users.CreateAsync("bob", "bob-password-123", false, ["desk-users", "other-users"], false, "test");
        await users.CreateAsync("svc-portal", null, false, ["portal"], false, "test");
        await users.CreateAsync("svc-plain", null, false, ["portal-plain"], false, "test");
        return (gw, await gw.AdminClientAsync());
    }

    private static TargetRecord Target(string id, string env) =>
        new(id, id, "127.0.0.1", 5999, "", new Dictionary<string, string> { ["env"] = env }, null, null, new VncTargetSettings(["none"], TlsVerification.System, null), false);

    private static RoleRecord Role(string name, string env) =>
        new(name, "", [], [new Dictionary<string, string> { ["env"] = env }], false, false, true, null, false);

    private static async Task<(int Code, string Out, string Err)> CliAsync(TestGateway gw, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new OrielCli(output, error, new StringReader("")) { ConfigureOptions = TestGateway.Configure };
        var code = await cli.InvokeAsync([.. args, "--data", gw.DataDir]);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<string> NewKeyAsync(TestGateway gw, string user, string name = "portal", TimeSpan? lifetime = null) =>
        (await gw.Get<ApiKeyService>().CreateAsync(name, user, lifetime, "test")).Secret;

    /// <summary>A server-to-server call: no cookies, no CSRF header, the key as a bearer token.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> CallAsync(
        TestGateway gw, HttpMethod method, string path, string? key, object? body = null, Action<HttpRequestMessage>? tweak = null)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = gw.BaseAddress };
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        tweak?.Invoke(request);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json"
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response.StatusCode, json, response);
    }

    private static Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> MintAsync(
        TestGateway gw, string? key, string user = "bob", string target = "desk", Action<HttpRequestMessage>? tweak = null) =>
        CallAsync(gw, HttpMethod.Post, "/api/links", key, new { user, target }, tweak);

    private static async Task<IReadOnlyList<AuditEvent>> AuditAsync(TestGateway gw, string kind) =>
        await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = kind, Limit = 100 });

    [Fact]
    public async Task APortalKeyFromTheCli_MintsALink_WithoutCsrf_AndTheLinkOpens_AndTheSecretIsNotStored()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;

        var created = await CliAsync(gw, "apikeys", "create", "--name", "portal", "--user", "svc-portal", "--expires", "90d");
        Assert.Equal(0, created.Code);
        var secret = created.Out.Trim();
        Assert.True(ApiKeySecret.TryGetPrefix(secret, out var prefix), created.Out);
        Assert.Contains("shown this once", created.Err, StringComparison.Ordinal);

        // A server-to-server call: no cookie, no CSRF header.
        var (status, body, response) = await MintAsync(gw, secret);
        using (response)
        {
            Assert.Equal(HttpStatusCode.Created, status);
        }

        var token = body.GetProperty("token").GetString()!;
        Assert.Equal("bob", body.GetProperty("user").GetString());

        using var browser = gw.NewClient();
        using (var open = await browser.Http.GetAsync("/link/" + token))
        {
            Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
            Assert.Equal("/#/desktop/desk", open.Headers.Location!.OriginalString);
            Assert.Contains(open.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Hosting.GatewayHost.CookieName + "=", StringComparison.Ordinal));
        }

        Assert.Equal("bob", (await browser.GetJsonAsync("/api/me")).GetProperty("username").GetString());

        // The key authenticates API reads as its user.
        var me = await CallAsync(gw, HttpMethod.Get, "/api/me", secret);
        using (me.Response)
        {
            Assert.Equal(HttpStatusCode.OK, me.Status);
            Assert.Equal("svc-portal", me.Body.GetProperty("username").GetString());
            Assert.False(me.Body.GetProperty("isAdmin").GetBoolean());
        }

        // Audit: the key's creation (never its secret) and the link made with it.
        var keyId = (await gw.Get<ApiKeyService>().ListAsync()).Single().Id;
        var create = (await AuditAsync(gw, ApiKeyAuditKinds.Create)).Single();
        Assert.Equal("cli", create.Actor);
        Assert.Equal("svc-portal", create.Target);
        Assert.Equal(keyId, create.Details!["keyId"]!.GetValue<string>());
        Assert.Equal(prefix, create.Details["prefix"]!.GetValue<string>());
        var link = (await AuditAsync(gw, LinkAuditKinds.Create)).Single();
        Assert.Equal("svc-portal", link.Actor);
        Assert.Equal(keyId, link.Details!["apiKey"]!.GetValue<string>());
        foreach (var e in await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Limit = 1000 }))
        {
            Assert.DoesNotContain(secret[6..], e.Details?.ToJsonString() ?? "", StringComparison.Ordinal);
        }

        // The list shows the key by its prefix, with last use; never the secret.
        var list = await CliAsync(gw, "apikeys", "list");
        Assert.Equal(0, list.Code);
        Assert.Contains($"{keyId}\tportal\tsvc-portal\toriel_{prefix}…", list.Out, StringComparison.Ordinal);
        Assert.Contains("\tactive", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\t-\tactive", list.Out, StringComparison.Ordinal); // last used is set

        // The database (and its write-ahead log) hold the hash, never the secret or its random part.
        var stored = new StringBuilder();
        foreach (var file in Directory.GetFiles(gw.DataDir, "oriel.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            stored.Append(Encoding.Latin1.GetString(copy.ToArray()));
        }

        var db = stored.ToString();
        Assert.Contains(ApiKeySecret.HashHex(secret), db, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..], db, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[(6 + ApiKeySecret.PrefixLength)..], db, StringComparison.Ordinal);

        // Revoked from the CLI: refused at once with 401.
        var revoked = await CliAsync(gw, "apikeys", "revoke", "portal");
        Assert.Equal(0, revoked.Code);
        Assert.Contains(keyId, revoked.Out, StringComparison.Ordinal);
        var after = await MintAsync(gw, secret);
        using (after.Response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
            Assert.Contains("Bearer", after.Response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("\trevoked", (await CliAsync(gw, "apikeys", "list")).Out, StringComparison.Ordinal);
        Assert.NotEqual(0, (await CliAsync(gw, "apikeys", "revoke", keyId)).Code);
        Assert.Equal("cli", (await AuditAsync(gw, ApiKeyAuditKinds.Revoke)).Single().Actor);
        var failure = (await AuditAsync(gw, ApiKeyAuditKinds.Failure)).Single();
        Assert.Equal("revoked", failure.Details!["reason"]!.GetValue<string>());
        Assert.Equal(keyId, failure.Details["keyId"]!.GetValue<string>());
        Assert.Equal("svc-portal", failure.Actor);
        Assert.True((await gw.Get<IAuditLog>().VerifyChainAsync()).IsValid);
    }

    [Fact]
    public async Task WithoutCreateLinks_OrForATargetOutsideTheRole_OrForAnAdmin_Is403()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var plain = await NewKeyAsync(gw, "svc-plain", "plain");
        var portal = await NewKeyAsync(gw, "svc-portal");

        var noFlag = await MintAsync(gw, plain);
        using (noFlag.Response)
        {
            Assert.Equal(HttpStatusCode.Forbidden, noFlag.Status);
            Assert.Contains("createLinks", noFlag.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        // bob may open "other" himself, but the portal's role does not grant it.
        foreach (var (user, target) in new[] { ("bob", "other"), ("bob", "no-such-target"), ("admin", "desk") })
        {
            var r = await MintAsync(gw, portal, user, target);
            using (r.Response)
            {
                Assert.Equal(HttpStatusCode.Forbidden, r.Status);
            }
        }

        // The existing checks still hold for what the portal may ask: the user must exist and be allowed the target.
        await gw.Get<UserService>().CreateAsync("carol", "carol-password-123", false, [], false, "test");
        var notAllowed = await MintAsync(gw, portal, "carol", "desk");
        using (notAllowed.Response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, notAllowed.Status);
        }

        var denied = await AuditAsync(gw, LinkAuditKinds.CreateDenied);
        Assert.Equal(4, denied.Count);
        Assert.Contains(denied, e => e.Actor == "svc-plain");
        Assert.Contains(denied, e => e.Actor == "svc-portal" && e.Target == "other");
        Assert.Contains(denied, e => e.Actor == "svc-portal" && e.Details!["user"]!.GetValue<string>() == "admin");
        Assert.Empty(await AuditAsync(gw, LinkAuditKinds.Create));

        // Administrators keep full rights, with their cookie (and the CSRF header).
        using var adminMint = await admin.PostJsonAsync("/api/links", new { user = "bob", target = "other" });
        Assert.Equal(HttpStatusCode.Created, adminMint.StatusCode);

        // A signed-in (cookie) holder of createLinks may use it too, under the CSRF rules.
        await gw.Get<UserService>().SetPasswordAsync("svc-portal", "portal-password-123", false, "test");
        using var holder = gw.NewClient();
        (await holder.SignInAsync("svc-portal", "portal-password-123")).EnsureSuccessStatusCode();
        using var holderMint = await holder.PostJsonAsync("/api/links", new { user = "bob", target = "desk" });
        Assert.Equal(HttpStatusCode.Created, holderMint.StatusCode);
        using var holderOther = await holder.PostJsonAsync("/api/links", new { user = "bob", target = "other" });
        Assert.Equal(HttpStatusCode.Forbidden, holderOther.StatusCode);
    }

    [Fact]
    public async Task ExpiredAndUnknownKeys_Are401_AndAudited()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (gw, admin) = await StartAsync(o => o.TimeProvider = clock);
        await using var _ = gw;
        using var __ = admin;
        var key = await NewKeyAsync(gw, "svc-portal", lifetime: TimeSpan.FromHours(1));

        var before = await MintAsync(gw, key);
        using (before.Response)
        {
            Assert.Equal(HttpStatusCode.Created, before.Status);
        }

        clock.Advance(TimeSpan.FromHours(2));
        var expired = await MintAsync(gw, key);
        using (expired.Response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        }

        var me = await CallAsync(gw, HttpMethod.Get, "/api/me", key);
        using (me.Response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.Status);
            Assert.Contains("invalid_token", me.Response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        var unknown = await MintAsync(gw, ApiKeySecret.New());
        using (unknown.Response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        }

        var malformed = await MintAsync(gw, "not-a-key");
        using (malformed.Response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, malformed.Status);
        }

        var reasons = (await AuditAsync(gw, ApiKeyAuditKinds.Failure)).Select(e => e.Details!["reason"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["expired", "expired", "malformed", "unknown"], reasons);
    }

    [Fact]
    public async Task FailedKeys_AreThrottledPerAddress_LikeSignIn()
    {
        var (gw, admin) = await StartAsync(o => o.Throttle.MaxFailuresPerAddress = 3);
        await using var _ = gw;
        using var __ = admin;
        var good = await NewKeyAsync(gw, "svc-portal");
        for (var i = 0; i < 3; i++)
        {
            var bad = await MintAsync(gw, ApiKeySecret.New());
            using (bad.Response)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, bad.Status);
            }
        }

        // Locked: even the good key waits, for reads too, and so does a password sign-in from the address.
        var locked = await MintAsync(gw, good);
        using (locked.Response)
        {
            Assert.Equal((HttpStatusCode)429, locked.Status);
            Assert.NotNull(locked.Response.Headers.RetryAfter);
        }

        var read = await CallAsync(gw, HttpMethod.Get, "/api/me", good);
        using (read.Response)
        {
            Assert.Equal((HttpStatusCode)429, read.Status);
        }

        using var client = gw.NewClient();
        using var signIn = await client.SignInAsync("bob", "bob-password-123");
        Assert.Equal((HttpStatusCode)429, signIn.StatusCode);
        Assert.NotEmpty(await AuditAsync(gw, ApiKeyAuditKinds.Throttled));
    }

    [Fact]
    public async Task CsrfIsWaivedOnlyForAValidKeyWithoutASessionCookie()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var key = await NewKeyAsync(gw, "svc-portal");

        // A cookie request still needs the header.
        using (var noHeader = new HttpRequestMessage(HttpMethod.Post, "/api/links") { Content = JsonContent.Create(new { user = "bob", target = "desk" }) })
        using (var r = await admin.Http.SendAsync(noHeader))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        // A valid key alongside a session cookie does not waive it either.
        var sessionCookie = admin.Cookie(Hosting.GatewayHost.CookieName)!;
        var withCookie = await MintAsync(gw, key, tweak: r => r.Headers.Add("Cookie", $"{Hosting.GatewayHost.CookieName}={sessionCookie}"));
        using (withCookie.Response)
        {
            Assert.Equal(HttpStatusCode.Forbidden, withCookie.Status);
            Assert.Contains(CsrfProtection.HeaderName, withCookie.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        // The other layers still apply to keys: a foreign Origin and a form body are refused.
        var foreign = await MintAsync(gw, key, tweak: r => r.Headers.Add("Origin", "https://evil.example"));
        using (foreign.Response)
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.Status);
        }

        var form = await CallAsync(gw, HttpMethod.Post, "/api/links", key, tweak: r =>
            r.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "bob", ["target"] = "desk" }));
        using (form.Response)
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.Status);
        }

        // Without a key or cookie: the CSRF check as before.
        var anonymous = await MintAsync(gw, null);
        using (anonymous.Response)
        {
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.Status);
        }

        var ok = await MintAsync(gw, key);
        using (ok.Response)
        {
            Assert.Equal(HttpStatusCode.Created, ok.Status);
        }
    }

    [Fact]
    public async Task ABearerKey_NeverOpensASession_EvenAnAdministratorsKey()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var key = await NewKeyAsync(gw, "admin", "admin-key");
        var origin = gw.BaseAddress.GetLeftPart(UriPartial.Authority);

        // The key works for the administrator's API calls ...
        var audit = await CallAsync(gw, HttpMethod.Get, "/api/admin/users", key);
        using (audit.Response)
        {
            Assert.Equal(HttpStatusCode.OK, audit.Status);
        }

        // ... but not for the session WebSockets, with or without the administrator's cookie next to it.
        foreach (var path in new[] { "/api/sessions/desk/tdp", "/api/sessions/desk/rfb" })
        {
            foreach (var withCookie in new[] { false, true })
            {
                using var ws = new ClientWebSocket();
                ws.Options.CollectHttpResponseDetails = true;
                ws.Options.SetRequestHeader("Origin", origin);
                ws.Options.SetRequestHeader("Authorization", "Bearer " + key);
                if (withCookie)
                {
                    ws.Options.Cookies = admin.Cookies;
                }

                await Assert.ThrowsAnyAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None));
                Assert.Equal(HttpStatusCode.Unauthorized, ws.HttpStatusCode);
            }
        }

        // The same request with the cookie alone is let through (the WebSocket opens).
        using var cookieOnly = new ClientWebSocket();
        cookieOnly.Options.CollectHttpResponseDetails = true;
        cookieOnly.Options.SetRequestHeader("Origin", origin);
        cookieOnly.Options.Cookies = admin.Cookies;
        await cookieOnly.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}/api/sessions/desk/tdp"), CancellationToken.None);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, cookieOnly.HttpStatusCode);
        cookieOnly.Abort();
    }

    [Fact]
    public async Task CreateLinks_FromTheConfigFile_AndTheCli_IsStored()
    {
        await using var gw = await TestGateway.StartAsync();
        var file = OrielConfigFile.Parse(
            """{ "roles": [ { "name": "portal", "targets": ["desk"], "createLinks": true }, { "name": "viewers", "targets": ["desk"] } ] }""", "test");
        await gw.Get<ConfigFileApplier>().ApplyAsync(file, "test");
        var store = gw.Get<IOrielStore>();
        Assert.True((await store.FindRoleAsync("portal"))!.CreateLinks);
        Assert.False((await store.FindRoleAsync("viewers"))!.CreateLinks);

        Assert.Equal(0, (await CliAsync(gw, "roles", "add", "portal2", "--target", "desk", "--create-links")).Code);
        Assert.True((await store.FindRoleAsync("portal2"))!.CreateLinks);
        var list = await CliAsync(gw, "roles", "list");
        Assert.Contains("portal2\tdesk\t\tnone\tyes\t-\tyes", list.Out, StringComparison.Ordinal);
        Assert.Contains("viewers\tdesk\t\tnone\tyes\t-\tno", list.Out, StringComparison.Ordinal);
        Assert.True((await AuditAsync(gw, AuditKinds.RoleAdd)).Single(e => e.Target == "portal2").Details!["createLinks"]!.GetValue<bool>());

        // Key names: valid, unique among live keys, for an existing user.
        var keys = gw.Get<ApiKeyService>();
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("bad name", "admin", null, "test"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => keys.CreateAsync("k", "nobody", null, "test"));
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("k", "admin", TimeSpan.FromDays(4000), "test"));
        var (first, _) = await keys.CreateAsync("k", "admin", null, "test");
        await Assert.ThrowsAsync<StoreConflictException>(() => keys.CreateAsync("K", "admin", null, "test"));
        await keys.RevokeAsync("k", "test");
        var (second, _) = await keys.CreateAsync("k", "admin", null, "test");
        Assert.NotEqual(first.Id, second.Id);
        Assert.Null(second.ExpiresAt);
    }
}
