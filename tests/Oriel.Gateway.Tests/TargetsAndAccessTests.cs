using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Access;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

public sealed class TargetsAndAccessTests
{
    private const string DevPassword = "vnc-secret-Zq81x";

    private static TargetRecord Target(string id, string host, Dictionary<string, string> labels) =>
        new(id, id.ToUpperInvariant(), host, 5901, "desc " + id, labels, null, null, new VncTargetSettings(["vnc"], TlsVerification.System, null), false);

    private static async Task SeedAsync(TestGateway gw)
    {
        var targets = gw.Get<TargetService>();
        await targets.SaveAsync(Target("dev-1", "10.9.8.7", new() { ["env"] = "dev" }), DevPassword, "test");
        await targets.SaveAsync(Target("prod-1", "10.9.8.8", new() { ["env"] = "prod" }), "prod-secret-Kk2", "test");
        await targets.SaveAsync(Target("lab-1", "10.9.8.9", new() { ["env"] = "lab", ["team"] = "x" }), null, "test");
        var roles = gw.Get<RoleService>();
        await roles.SaveAsync(new RoleRecord("dev", "", [], [new Dictionary<string, string> { ["env"] = "dev" }], true, false, true, 2, false), "test");
        await roles.SaveAsync(new RoleRecord("lab", "", ["lab-1"], [], false, true, false, null, false), "test");
        await gw.Get<UserService>().CreateAsync("dana", "dana-password-1", false, ["dev", "lab"], false, "test");
    }

    [Fact]
    public async Task TargetsList_IsFilteredByRole_AndNeverCarriesHostPortOrPassword()
    {
        await using var gw = await TestGateway.StartAsync();
        await SeedAsync(gw);
        using var dana = gw.NewClient();
        (await dana.SignInAsync("dana", "dana-password-1")).EnsureSuccessStatusCode();
        using var r = await dana.Http.GetAsync("/api/targets");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var json = await r.Content.ReadAsStringAsync();
        var list = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal(["DEV-1", "LAB-1"], list.EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToArray());
        var dev = list[0];
        Assert.Equal("dev-1", dev.GetProperty("id").GetString());
        Assert.Equal("vnc", dev.GetProperty("protocol").GetString());
        Assert.Equal("dev", dev.GetProperty("labels").GetProperty("env").GetString());
        Assert.True(dev.GetProperty("permissions").GetProperty("clipboardRead").GetBoolean());
        Assert.False(dev.GetProperty("permissions").GetProperty("clipboardWrite").GetBoolean());
        Assert.Equal(2, dev.GetProperty("permissions").GetProperty("maxSessions").GetInt32());
        Assert.True(list[1].GetProperty("permissions").GetProperty("clipboardWrite").GetBoolean());
        Assert.DoesNotContain("10.9.8", json, StringComparison.Ordinal);
        Assert.DoesNotContain("5901", json, StringComparison.Ordinal);
        Assert.DoesNotContain("host", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("password", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(DevPassword, json, StringComparison.Ordinal);

        using var anonymous = gw.NewClient();
        using var denied = await anonymous.Http.GetAsync("/api/targets");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        using var notAdmin = await dana.Http.GetAsync("/api/audit");
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }

    [Fact]
    public async Task AuthorizeSession_ResolvesDecryptedTarget_OrDeniesWithoutSayingWhy()
    {
        await using var gw = await TestGateway.StartAsync();
        await SeedAsync(gw);
        var user = (await gw.Get<IOrielStore>().FindUserByNameAsync("dana"))!;
        var principal = OrielClaims.Create(user, "sid");
        var access = gw.Get<IAccessService>();

        var ok = await access.AuthorizeSessionAsync(principal, "dev-1", CancellationToken.None);
        Assert.True(ok.Allowed);
        Assert.Equal("dana", ok.UserName);
        Assert.Equal(user.Id, ok.UserId);
        Assert.Equal("10.9.8.7", ok.Target!.Host);
        Assert.Equal(5901, ok.Target.Port);
        Assert.Equal(DevPassword, ok.Target.Password);
        Assert.Equal(["vnc"], Assert.IsType<VncTargetSettings>(ok.Target.Settings).Security);
        Assert.DoesNotContain(DevPassword, ok.ToString(), StringComparison.Ordinal);
        Assert.Equal(new SessionPermissions(true, false, true, 2), ok.Permissions);

        var prod = await access.AuthorizeSessionAsync(principal, "prod-1", CancellationToken.None);
        var missing = await access.AuthorizeSessionAsync(principal, "no-such", CancellationToken.None);
        Assert.False(prod.Allowed);
        Assert.Null(prod.Target);
        Assert.Equal(prod.Reason, missing.Reason);

        var nobody = await access.AuthorizeSessionAsync(new ClaimsPrincipal(new ClaimsIdentity()), "dev-1", CancellationToken.None);
        Assert.False(nobody.Allowed);

        var admin = (await gw.Get<IOrielStore>().FindUserByNameAsync("admin"))! with { MustChangePassword = false };
        await gw.Get<IOrielStore>().UpdateUserAsync(admin, gw.Get<TimeProvider>().GetUtcNow());
        var asAdmin = await access.AuthorizeSessionAsync(OrielClaims.Create(admin, "sid2"), "prod-1", CancellationToken.None);
        Assert.True(asAdmin.Allowed);
        Assert.Equal(SessionPermissions.Full, asAdmin.Permissions);
    }

    [Fact]
    public async Task TargetPassword_IsEncryptedAtRest_AndBoundToItsTarget()
    {
        await using var gw = await TestGateway.StartAsync();
        await SeedAsync(gw);
        SqliteConnection.ClearAllPools();
        var needle = Encoding.UTF8.GetBytes(DevPassword);
        foreach (var file in Directory.GetFiles(gw.DataDir, "oriel.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"plaintext password found in {file}");
        }

        var store = gw.Get<IOrielStore>();
        var dev = (await store.FindTargetAsync("dev-1"))!;
        Assert.StartsWith("v1.", dev.PasswordCiphertext, StringComparison.Ordinal);

        // The same ciphertext pasted onto another target does not decrypt (associated data = target id).
        var protector = gw.Get<Security.TargetSecretProtector>();
        Assert.Equal(DevPassword, protector.Unprotect("dev-1", dev.PasswordCiphertext!));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect("prod-1", dev.PasswordCiphertext!));
        await store.UpsertTargetAsync((await store.FindTargetAsync("prod-1"))! with { PasswordCiphertext = dev.PasswordCiphertext }, gw.Get<TimeProvider>().GetUtcNow());
        var admin = (await store.FindUserByNameAsync("admin"))! with { MustChangePassword = false };
        await store.UpdateUserAsync(admin, gw.Get<TimeProvider>().GetUtcNow());
        var decision = await gw.Get<IAccessService>().AuthorizeSessionAsync(OrielClaims.Create(admin, "s"), "prod-1", CancellationToken.None);
        Assert.False(decision.Allowed);
    }

    [Theory]
    [InlineData("dev-1", true)]
    [InlineData("a", true)]
    [InlineData("host.example_2", true)]
    [InlineData("", false)]
    [InlineData("-dev", false)]
    [InlineData("Dev", false)]
    [InlineData("dev/1", false)]
    [InlineData("dev 1", false)]
    public void TargetIds_AreUrlSafe(string id, bool valid) => Assert.Equal(valid, TargetRules.IsValidId(id));

    [Fact]
    public void Pins_ParseWithOrWithoutColons()
    {
        var hex = new string('a', 64);
        Assert.True(TargetRules.TryParsePin("sha256:" + hex.ToUpperInvariant(), out var p1));
        Assert.Equal(hex, p1);
        Assert.True(TargetRules.TryParsePin("SHA256:" + string.Join(":", Enumerable.Range(0, 32).Select(_ => "AA")), out var p2));
        Assert.Equal(hex, p2);
        Assert.False(TargetRules.TryParsePin("sha1:" + hex, out _));
        Assert.False(TargetRules.TryParsePin("sha256:" + hex[..62], out _));
        Assert.False(TargetRules.TryParsePin("sha256:" + new string('g', 64), out _));
    }

    [Fact]
    public void LabelSelectors_MatchAllPairs_WithWildcardValues()
    {
        var t = Target("t", "h", new() { ["env"] = "dev", ["team"] = "x" });
        static Dictionary<string, string> D(params string[] kv) =>
            Enumerable.Range(0, kv.Length / 2).ToDictionary(i => kv[2 * i], i => kv[(2 * i) + 1]);
        static RoleRecord Role(params Dictionary<string, string>[] selectors) => new("r", "", [], selectors, false, false, true, null, false);
        Assert.True(RoleMatcher.Grants(Role(D("env", "dev")), t));
        Assert.True(RoleMatcher.Grants(Role(D("env", "dev", "team", "*")), t));
        Assert.False(RoleMatcher.Grants(Role(D("env", "dev", "team", "y")), t));
        Assert.False(RoleMatcher.Grants(Role(D("owner", "*")), t));
        Assert.False(RoleMatcher.Grants(Role(D()), t));
        Assert.True(RoleMatcher.Grants(Role(D("env", "prod"), D("team", "x")), t));
        Assert.True(RoleMatcher.Grants(new RoleRecord("all", "", ["*"], [], false, false, true, null, false), t));
    }
}
