using Dapper;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Migration 0007 moves the VNC columns of a database at migration 0006 into the per-protocol settings document,
/// keeping every value, and the settings are read back through one parser with clear errors.
/// </summary>
public sealed class TargetSettingsMigrationTests : IDisposable
{
    private const string Pin = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly string[] OldColumns = ["vnc_security", "tls_verification", "tls_pin", "jpeg_quality", "passthrough_lossless"];

    private readonly string _dir = TestGateway.NewDataDir();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Migration0007_KeepsEveryVncSetting_AndRemovesTheOldColumns()
    {
        Directory.CreateDirectory(_dir);
        var dbPath = Path.Combine(_dir, "oriel.db");
        var store = new SqliteOrielStore(dbPath);
        var protector = new TargetSecretProtector(SecretKeyRing.LoadOrCreate(Path.Combine(_dir, SecretKeyRing.FileName)));
        var pinnedCiphertext = protector.Protect("pinned", "pinned-secret-1");
        var insecureCiphertext = protector.Protect("insecure", "insecure-secret-2");

        await using (var c = await OpenAt0006Async(dbPath))
        {
            await InsertOldTargetAsync(c, "pinned", "vnc", 5901, "alice", pinnedCiphertext, """["x509vnc","vnc"]""", "pinned", Pin, 7, 1);
            await InsertOldTargetAsync(c, "insecure", "vnc", 5902, "bob", insecureCiphertext, """["tlsplain"]""", "insecure", null, 0, 0);
            await InsertOldTargetAsync(c, "plain", "vnc", 5903, null, null, "[]", "system", null, null, 0);
            await InsertOldTargetAsync(c, "shell", "ssh", 22, "carol", null, "[]", "system", null, null, 0);
        }

        Assert.Equal(SqliteOrielStore.LoadMigrations().Max(m => m.Version), await store.MigrateAsync(DateTimeOffset.UnixEpoch));

        var pinned = (await store.FindTargetAsync("pinned"))!;
        var pinnedVnc = Assert.IsType<VncTargetSettings>(pinned.Settings);
        Assert.Equal("vnc", pinned.Protocol);
        Assert.Equal(["x509vnc", "vnc"], pinnedVnc.Security);
        Assert.Equal(TlsVerification.Pinned, pinnedVnc.TlsVerification);
        Assert.Equal(Pin, pinnedVnc.TlsPin);
        Assert.Equal(7, pinnedVnc.JpegQuality);
        Assert.True(pinnedVnc.PassthroughLossless);
        Assert.Equal("alice", pinned.Username);
        Assert.Equal("pinned-secret-1", protector.Unprotect("pinned", pinned.PasswordCiphertext!));
        Assert.Equal(new Dictionary<string, string> { ["env"] = "lab" }, pinned.Labels);
        Assert.Equal(("Desk pinned", "192.0.2.1", 5901, "old target pinned", true), (pinned.Name, pinned.Host, pinned.Port, pinned.Description, pinned.Declared));

        var insecure = (await store.FindTargetAsync("insecure"))!;
        var insecureVnc = Assert.IsType<VncTargetSettings>(insecure.Settings);
        Assert.Equal(["tlsplain"], insecureVnc.Security);
        Assert.Equal(TlsVerification.Insecure, insecureVnc.TlsVerification);
        Assert.Null(insecureVnc.TlsPin);
        Assert.Equal(0, insecureVnc.JpegQuality);
        Assert.False(insecureVnc.PassthroughLossless);
        Assert.Equal("bob", insecure.Username);
        Assert.Equal("insecure-secret-2", protector.Unprotect("insecure", insecure.PasswordCiphertext!));

        var plain = (await store.FindTargetAsync("plain"))!;
        Assert.True(VncTargetSettings.Default.SameAs(plain.Settings));
        Assert.Null(((VncTargetSettings)plain.Settings).JpegQuality);
        Assert.Null(plain.PasswordCiphertext);

        var shell = (await store.FindTargetAsync("shell"))!;
        Assert.True(SshTargetSettings.Default.SameAs(shell.Settings)); // the bare {"v":1} of 0007 reads as the SSH defaults
        Assert.Equal("ssh", shell.Protocol);
        Assert.Equal("carol", shell.Username);

        await using (var c = new SqliteConnection($"Data Source={dbPath}"))
        {
            await c.OpenAsync();
            var columns = (await c.QueryAsync<string>("SELECT name FROM pragma_table_info('targets');")).ToList();
            Assert.Contains("settings", columns);
            Assert.Contains("password_ciphertext", columns);
            Assert.Empty(columns.Intersect(OldColumns));
            foreach (var json in await c.QueryAsync<string>("SELECT settings FROM targets;"))
            {
                Assert.StartsWith("{\"v\":1", json, StringComparison.Ordinal);
                Assert.DoesNotContain("secret", json, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// A gateway two versions back (migration 0005: no passthrough_lossless column yet) upgrades in one start through
    /// 0006, 0007 and every later migration without losing a VNC setting or a secret.
    /// </summary>
    [Fact]
    public async Task ADatabaseAt0005_UpgradesToTheLatestMigration_KeepingEveryVncSetting()
    {
        Directory.CreateDirectory(_dir);
        var dbPath = Path.Combine(_dir, "oriel.db");
        var store = new SqliteOrielStore(dbPath);
        var protector = new TargetSecretProtector(SecretKeyRing.LoadOrCreate(Path.Combine(_dir, SecretKeyRing.FileName)));
        var ciphertext = protector.Protect("old", "old-secret-5");
        await using (var c = await OpenAtAsync(dbPath, 5))
        {
            await c.ExecuteAsync(
                "INSERT INTO targets (id, name, protocol, host, port, description, labels, username, password_ciphertext, vnc_security, tls_verification, " +
                "tls_pin, declared, jpeg_quality, created_at, updated_at) VALUES ('old', 'Desk old', 'vnc', '192.0.2.5', 5905, 'from 0005', " +
                "'{\"env\":\"lab\"}', 'dave', @ciphertext, '[\"x509plain\",\"vnc\"]', 'pinned', @pin, 0, 3, 0, 0);",
                new { ciphertext, pin = Pin });
        }

        Assert.Equal(SqliteOrielStore.LoadMigrations().Max(m => m.Version), await store.MigrateAsync(DateTimeOffset.UnixEpoch));

        var old = (await store.FindTargetAsync("old"))!;
        var vnc = Assert.IsType<VncTargetSettings>(old.Settings);
        Assert.Equal(["x509plain", "vnc"], vnc.Security);
        Assert.Equal(TlsVerification.Pinned, vnc.TlsVerification);
        Assert.Equal(Pin, vnc.TlsPin);
        Assert.Equal(3, vnc.JpegQuality);
        Assert.False(vnc.PassthroughLossless);
        Assert.Equal(("Desk old", "192.0.2.5", 5905, "from 0005", "dave"), (old.Name, old.Host, old.Port, old.Description, old.Username));
        Assert.Equal("old-secret-5", protector.Unprotect("old", old.PasswordCiphertext!));
        Assert.Equal(new Dictionary<string, string> { ["env"] = "lab" }, old.Labels);
    }

    [Fact]
    public async Task SavedSettings_RoundTrip_AndTheJsonHoldsNoSecret()
    {
        var store = new SqliteOrielStore(Path.Combine(_dir, "oriel.db"));
        await store.MigrateAsync(DateTimeOffset.UnixEpoch);
        var settings = new VncTargetSettings(["x509plain"], TlsVerification.Pinned, Pin) { JpegQuality = 3, PassthroughLossless = true };
        await store.UpsertTargetAsync(
            new TargetRecord("desk", "Desk", "192.0.2.9", 5900, "", new Dictionary<string, string>(), "dave", "ciphertext-stand-in", settings, false),
            DateTimeOffset.UnixEpoch);

        var back = (await store.FindTargetAsync("desk"))!;
        Assert.True(settings.SameAs(back.Settings));
        Assert.Equal("ciphertext-stand-in", back.PasswordCiphertext);
        var json = await SettingsJsonAsync("desk");
        Assert.Equal("""{"v":1,"security":["x509plain"],"tls":"pinned","tlsPin":"%PIN%","jpegQuality":3,"passthroughLossless":true}""".Replace("%PIN%", Pin, StringComparison.Ordinal), json);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"v":2,"security":[]}""", "format version 2")]
    [InlineData("""{"v":1,"security":["rot13"],"tls":"system"}""", "unknown VNC security type 'rot13'")]
    [InlineData("""{"v":1,"tls":"pinned"}""", "a TLS pin is required")]
    [InlineData("""{"v":1,"tls":"maybe"}""", "unknown TLS verification 'maybe'")]
    [InlineData("""{"v":1,"jpegQuality":10}""", "JPEG quality must be 0-9")]
    public async Task MalformedStoredSettings_AreAClearError_NamingTheTarget(string stored, string expected)
    {
        var store = new SqliteOrielStore(Path.Combine(_dir, "oriel.db"));
        await store.MigrateAsync(DateTimeOffset.UnixEpoch);
        await store.UpsertTargetAsync(
            new TargetRecord("desk", "Desk", "192.0.2.9", 5900, "", new Dictionary<string, string>(), null, null, VncTargetSettings.Default, false),
            DateTimeOffset.UnixEpoch);
        await using (var c = new SqliteConnection($"Data Source={store.DatabasePath}"))
        {
            await c.OpenAsync();
            await c.ExecuteAsync("UPDATE targets SET settings = @stored WHERE id = 'desk';", new { stored });
        }

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => store.FindTargetAsync("desk"));
        Assert.StartsWith("target 'desk': stored vnc target settings", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VncOnlyOptions_AreRefused_ForAProtocolWithoutSettings()
    {
        var e = Assert.Throws<ArgumentException>(() => TargetRules.SettingsFor("ssh", [], TlsVerification.System, null, 5, false));
        Assert.Contains("VNC settings", e.Message, StringComparison.Ordinal);
        Assert.Equal(new UnsetTargetSettings("rdp"), TargetRules.SettingsFor("rdp", [], TlsVerification.System, null, null, false));
    }

    /// <summary>A database built by migrations 0001-0006 only, as a gateway before 0007 left it.</summary>
    private static Task<SqliteConnection> OpenAt0006Async(string dbPath) => OpenAtAsync(dbPath, 6);

    /// <summary>A database built by migrations 0001 to <paramref name="last"/> only, as a gateway of that version left it.</summary>
    private static async Task<SqliteConnection> OpenAtAsync(string dbPath, int last)
    {
        var c = new SqliteConnection($"Data Source={dbPath}");
        await c.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);");
        var applied = 0;
        foreach (var (version, name, sql) in SqliteOrielStore.LoadMigrations().Where(m => m.Version <= last))
        {
            await c.ExecuteAsync(sql);
            await c.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, 0);", new { version, name });
            applied = version;
        }

        Assert.Equal(last, applied);
        return c;
    }

    private static Task InsertOldTargetAsync(
        SqliteConnection c, string id, string protocol, int port, string? username, string? ciphertext, string security, string tls, string? pin, int? jpeg, int lossless) =>
        c.ExecuteAsync(
            "INSERT INTO targets (id, name, protocol, host, port, description, labels, username, password_ciphertext, vnc_security, tls_verification, " +
            "tls_pin, declared, jpeg_quality, passthrough_lossless, created_at, updated_at) VALUES (@id, @name, @protocol, @host, @port, @description, " +
            "'{\"env\":\"lab\"}', @username, @ciphertext, @security, @tls, @pin, 1, @jpeg, @lossless, 0, 0);",
            new { id, name = "Desk " + id, protocol, host = "192.0.2.1", port, description = "old target " + id, username, ciphertext, security, tls, pin, jpeg, lossless });

    private async Task<string> SettingsJsonAsync(string id)
    {
        await using var c = new SqliteConnection($"Data Source={Path.Combine(_dir, "oriel.db")}");
        await c.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT settings FROM targets WHERE id = @id;", new { id }) ?? "";
    }
}
