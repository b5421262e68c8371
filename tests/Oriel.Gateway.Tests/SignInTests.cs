using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oriel.Gateway.Hosting;

namespace Oriel.Gateway.Tests;

public sealed class SignInTests
{
    [Fact]
    public async Task FirstStart_CreatesAdmin_PrintsHowToSignIn_AndForcesPasswordChange()
    {
        await using var gw = await TestGateway.StartAsync();
        var text = gw.Output.ToString();
        Assert.Contains(gw.BaseAddress.ToString(), text, StringComparison.Ordinal);
        Assert.Contains("must change", text, StringComparison.Ordinal);
        var (user, password) = gw.FirstRunAdmin();
        Assert.Equal("admin", user);
        Assert.True(password.Length >= 16);

        var keyFile = Path.Combine(gw.DataDir, "secret.key");
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        using var client = gw.NewClient();
        using var signIn = await client.SignInAsync(user, password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var me = await signIn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("admin", me.GetProperty("username").GetString());
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
        Assert.True(me.GetProperty("mustChangePassword").GetBoolean());
        // A reloaded page learns it from /api/me: the change is still required.
        Assert.True((await client.GetJsonAsync("/api/me")).GetProperty("mustChangePassword").GetBoolean());

        using (var blocked = await client.Http.GetAsync("/api/targets"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        }

        using (var weak = await client.PostJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = "short" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        }

        using (var changed = await client.PostJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = "a-much-better-password" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        Assert.False((await client.GetJsonAsync("/api/me")).GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal(JsonValueKind.Array, (await client.GetJsonAsync("/api/targets")).ValueKind);

        // A second start prints nothing: the administrator exists.
        await gw.App.StopAsync();
        await using var again = await TestGateway.StartAsync(dataDir: gw.DataDir);
        Assert.DoesNotContain("Password:", again.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_And_UnknownUser_GetTheSame401()
    {
        await using var gw = await TestGateway.StartAsync();
        using var client = gw.NewClient();
        using var wrong = await client.SignInAsync("admin", "not-the-password");
        using var unknown = await client.SignInAsync("nobody", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(await wrong.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Null(client.Cookie(GatewayHost.CookieName));

        var audit = await gw.Get<Audit.IAuditLog>().QueryAsync(new Storage.AuditQuery { Kind = "auth.signin.failure" });
        Assert.Equal(2, audit.Count);
    }

    [Fact]
    public async Task FiveFailures_Then429WithRetryAfter_EvenWithRightPassword_AndAfterRestart()
    {
        var dir = TestGateway.NewDataDir();
        string password;
        await using (var gw = await TestGateway.StartAsync(dataDir: dir))
        {
            password = gw.FirstRunAdmin().Password;
            using var client = gw.NewClient();
            for (var i = 0; i < 5; i++)
            {
                using var r = await client.SignInAsync("admin", "wrong-password-" + i);
                Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            }

            using var locked = await client.SignInAsync("admin", password);
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);

            // Another user is not locked by admin's failures (per-username key; the address limit is higher).
            using var other = await client.SignInAsync("someone-else", "x-wrong-password");
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        }

        await using (var restarted = await TestGateway.StartAsync(dataDir: dir))
        {
            using var client = restarted.NewClient();
            using var stillLocked = await client.SignInAsync("admin", password);
            Assert.Equal(HttpStatusCode.TooManyRequests, stillLocked.StatusCode);
        }

        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task SessionCookie_IsHttpOnly_SameSiteStrict_NotSecureOverPlainHttp()
    {
        await using var gw = await TestGateway.StartAsync();
        using var client = gw.NewClient();
        using var r = await client.SignInAsync("admin", gw.FirstRunAdmin().Password);
        var cookie = Assert.Single(r.Headers.GetValues("Set-Cookie"), c => c.StartsWith(GatewayHost.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SessionCookie_IsSecure_BehindTlsProxy_WhenForwardedHeadersAreTrusted()
    {
        await using var gw = await TestGateway.StartAsync(o => o.TrustForwardedHeaders = true);
        using var client = gw.NewClient();
        using var r = await client.SignInAsync("admin", gw.FirstRunAdmin().Password, req =>
        {
            req.Headers.Add("X-Forwarded-Proto", "https");
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var cookie = Assert.Single(r.Headers.GetValues("Set-Cookie"), c => c.StartsWith(GatewayHost.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_RotatesTheSession_AndSignOutRevokesIt()
    {
        await using var gw = await TestGateway.StartAsync();
        using var client = await gw.AdminClientAsync();
        var first = client.Cookie(GatewayHost.CookieName)!;
        using (var again = await client.SignInAsync("admin", "admin-password-123"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var second = client.Cookie(GatewayHost.CookieName)!;
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookie(gw, first));
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookie(gw, second));

        using (var signOut = await client.PostJsonAsync("/api/auth/signout", new { }))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookie(gw, second));
    }

    [Fact]
    public async Task RemovingAUser_RevokesTheirSession()
    {
        await using var gw = await TestGateway.StartAsync();
        await gw.Get<Identity.UserService>().CreateAsync("bob", "bob-password-123", false, [], false, "test");
        using var bob = gw.NewClient();
        (await bob.SignInAsync("bob", "bob-password-123")).EnsureSuccessStatusCode();
        Assert.Equal("bob", (await bob.GetJsonAsync("/api/me")).GetProperty("username").GetString());
        await gw.Get<Identity.UserService>().RemoveAsync("bob", "test");
        using var r = await bob.Http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task OutdatedHash_IsUpgradedAtSignIn()
    {
        await using var gw = await TestGateway.StartAsync();
        var weak = new Security.PasswordHasher(10).Hash("carol-password-1");
        await gw.Get<Identity.UserService>().CreateAsync("carol", null, false, [], false, "test", passwordHash: weak);
        using var client = gw.NewClient();
        (await client.SignInAsync("carol", "carol-password-1")).EnsureSuccessStatusCode();
        var stored = (await gw.Get<Storage.IOrielStore>().FindUserByNameAsync("carol"))!.PasswordHash;
        Assert.StartsWith($"$pbkdf2-sha256$i={TestGateway.FastIterations}$", stored, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusWithCookie(TestGateway gw, string cookieValue)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = gw.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", $"{GatewayHost.CookieName}={cookieValue}");
        using var r = await http.SendAsync(request);
        return r.StatusCode;
    }
}
