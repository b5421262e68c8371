using Dapper;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// SSH targets and the new role fields as stored: the SSH settings document round-trips and is read back validated,
/// a malformed one is an <see cref="InvalidDataException"/> naming the protocol and the target, and a database at
/// migration 0008 upgrades through 0009 keeping every target and role (real SQLite files).
/// </summary>
public sealed class SshTargetStorageTests : IDisposable
{
    private const string PinA = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string PinB = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

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
    public async Task SshSettings_RoundTrip_AsAVersionedDocument_WithTheSecretsInTheirOwnColumns()
    {
        var store = await NewStoreAsync();
        var settings = new SshTargetSettings([PinA, PinB], false) { TerminalType = "screen-256color", Logins = ["backup", "ops.admin"] };
        await store.UpsertTargetAsync(
            new TargetRecord("shell", "Shell", "192.0.2.9", 2222, "", new Dictionary<string, string>(), "tester", "pw-stand-in", settings, false)
            {
                PrivateKeyCiphertext = "key-stand-in",
                PrivateKeyPassphraseCiphertext = "passphrase-stand-in",
            },
            DateTimeOffset.UnixEpoch);

        var back = (await store.FindTargetAsync("shell"))!;
        var ssh = Assert.IsType<SshTargetSettings>(back.Settings);
        Assert.True(settings.SameAs(ssh));
        Assert.Equal([PinA, PinB], ssh.HostKeyPins);
        Assert.False(ssh.TrustOnFirstUse);
        Assert.Equal(("ssh", "tester", "pw-stand-in", "key-stand-in", "passphrase-stand-in"),
            (back.Protocol, back.Username, back.PasswordCiphertext, back.PrivateKeyCiphertext, back.PrivateKeyPassphraseCiphertext));
        Assert.Equal(
            """{"v":1,"hostKeyPins":["%A%","%B%"],"trustOnFirstUse":false,"terminalType":"screen-256color","logins":["backup","ops.admin"]}"""
                .Replace("%A%", PinA, StringComparison.Ordinal).Replace("%B%", PinB, StringComparison.Ordinal),
            await ScalarAsync(store, "SELECT settings FROM targets WHERE id = 'shell';"));

        // Saved again without secrets: the columns follow the record (TargetService decides what to keep).
        await store.UpsertTargetAsync(back with { PrivateKeyCiphertext = null, PrivateKeyPassphraseCiphertext = null }, DateTimeOffset.UnixEpoch);
        var cleared = (await store.FindTargetAsync("shell"))!;
        Assert.Null(cleared.PrivateKeyCiphertext);
        Assert.Null(cleared.PrivateKeyPassphraseCiphertext);
    }

    [Fact]
    public async Task ABareVersionDocument_ReadsAsTheSshDefaults()
    {
        var store = await NewStoreAsync();
        await InsertTargetAsync(store, "{\"v\":1}");
        var ssh = Assert.IsType<SshTargetSettings>((await store.FindTargetAsync("shell"))!.Settings);
        Assert.True(SshTargetSettings.Default.SameAs(ssh));
        Assert.Equal((true, "xterm-256color"), (ssh.TrustOnFirstUse, ssh.TerminalType));
        Assert.Empty(ssh.HostKeyPins);
        Assert.Empty(ssh.Logins);
    }

    [Theory]
    [InlineData("[1,2]", "not valid JSON")]
    [InlineData("""{"v":1,"hostKeyPins":"SHA256:x"}""", "not valid JSON")]
    [InlineData("""{"v":2}""", "format version 2")]
    [InlineData("""{"v":1,"hostKeyPins":["MD5:ab:cd"]}""", "host key pin 'MD5:ab:cd' is not a SHA-256 fingerprint")]
    [InlineData("""{"v":1,"hostKeyPins":[null]}""", "must be strings")]
    [InlineData("""{"v":1,"terminalType":""}""", "terminal type must be 1-64 printable ASCII")]
    [InlineData("""{"v":1,"terminalType":"xterm\u0007"}""", "terminal type must be 1-64 printable ASCII")]
    [InlineData("""{"v":1,"logins":["root; rm"]}""", "login 'root; rm' must be 1-64 characters")]
    [InlineData("""{"v":1,"trustOnFirstUse":"yes"}""", "not valid JSON")]
    public async Task MalformedSshSettings_AreInvalidData_NamingTheProtocolAndTheTarget(string stored, string expected)
    {
        var store = await NewStoreAsync();
        await InsertTargetAsync(store, stored);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => store.FindTargetAsync("shell"));
        Assert.StartsWith("target 'shell': stored ssh target settings", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoleFields_RoundTrip()
    {
        var store = await NewStoreAsync();
        await store.UpsertRoleAsync(
            new RoleRecord("ops", "", ["shell"], [], false, false, true, null, false)
            {
                Logins = ["backup", "*"],
                FileDownload = true,
                FileUpload = false,
                BrowserAuthPrompts = true,
            },
            DateTimeOffset.UnixEpoch);
        var role = (await store.FindRoleAsync("ops"))!;
        Assert.Equal(["backup", "*"], role.Logins);
        Assert.Equal((true, false, true), (role.FileDownload, role.FileUpload, role.BrowserAuthPrompts));

        await store.UpsertRoleAsync(role with { Logins = [], FileDownload = false, FileUpload = true, BrowserAuthPrompts = false }, DateTimeOffset.UnixEpoch);
        var changed = (await store.FindRoleAsync("ops"))!;
        Assert.Empty(changed.Logins);
        Assert.Equal((false, true, false), (changed.FileDownload, changed.FileUpload, changed.BrowserAuthPrompts));
    }

    /// <summary>
    /// A gateway at migration 0008 (recordings, no SSH columns) upgrades in one start: targets keep their settings and
    /// password, gain empty key columns; roles keep every setting and get no logins, no file transfer, no browser prompts.
    /// </summary>
    [Fact]
    public async Task ADatabaseAt0008_UpgradesTo0009_KeepingTargetsAndRoles()
    {
        Directory.CreateDirectory(_dir);
        var dbPath = Path.Combine(_dir, "oriel.db");
        var protector = new TargetSecretProtector(SecretKeyRing.LoadOrCreate(Path.Combine(_dir, SecretKeyRing.FileName)));
        var ciphertext = protector.Protect("desk", "desk-secret-8");
        await using (var c = await OpenAtAsync(dbPath, 8))
        {
            await c.ExecuteAsync(
                "INSERT INTO targets (id, name, protocol, host, port, description, labels, username, password_ciphertext, settings, declared, created_at, updated_at) " +
                "VALUES ('desk', 'Desk', 'vnc', '192.0.2.5', 5905, 'from 0008', '{\"env\":\"lab\"}', 'dave', @ciphertext, " +
                "'{\"v\":1,\"security\":[\"vnc\"],\"tls\":\"system\",\"tlsPin\":null,\"jpegQuality\":null,\"passthroughLossless\":false}', 1, 0, 0), " +
                "('shell', 'Shell', 'ssh', '192.0.2.6', 22, '', '{}', 'carol', NULL, '{\"v\":1}', 0, 0, 0);",
                new { ciphertext });
            await c.ExecuteAsync(
                "INSERT INTO roles (name, description, target_ids, target_labels, clipboard_read, clipboard_write, resize, max_sessions, declared, create_links, " +
                "recording, record_input, recordings_access, watch_live, created_at, updated_at) VALUES ('ops', 'old role', '[\"desk\"]', '[]', 1, 0, 1, 2, 1, 1, " +
                "'required', 'full', 'own', 1, 0, 0);");
        }

        var store = new SqliteOrielStore(dbPath);
        Assert.Equal(9, SqliteOrielStore.LoadMigrations().Single(m => m.Name == "0009_ssh.sql").Version);
        Assert.Equal(SqliteOrielStore.LoadMigrations().Max(m => m.Version), await store.MigrateAsync(DateTimeOffset.UnixEpoch));

        var desk = (await store.FindTargetAsync("desk"))!;
        var vnc = Assert.IsType<VncTargetSettings>(desk.Settings);
        Assert.Equal(["vnc"], vnc.Security);
        Assert.Equal("desk-secret-8", protector.Unprotect("desk", desk.PasswordCiphertext!));
        Assert.Equal(("Desk", "192.0.2.5", 5905, "dave", true), (desk.Name, desk.Host, desk.Port, desk.Username, desk.Declared));
        Assert.Null(desk.PrivateKeyCiphertext);
        Assert.Null(desk.PrivateKeyPassphraseCiphertext);

        var shell = (await store.FindTargetAsync("shell"))!;
        Assert.True(SshTargetSettings.Default.SameAs(shell.Settings));
        Assert.Equal("carol", shell.Username);

        var ops = (await store.FindRoleAsync("ops"))!;
        Assert.Equal(("old role", true, false, true, 2, true, true), (ops.Description, ops.ClipboardRead, ops.ClipboardWrite, ops.Resize, ops.MaxSessions, ops.Declared, ops.CreateLinks));
        Assert.Equal((RecordingMode.Required, InputRecording.Full, RecordingsAccess.Own, true), (ops.Recording, ops.RecordInput, ops.Recordings, ops.WatchLive));
        Assert.Empty(ops.Logins);
        Assert.Equal((false, false, false), (ops.FileDownload, ops.FileUpload, ops.BrowserAuthPrompts));

        await using var check = new SqliteConnection($"Data Source={dbPath}");
        await check.OpenAsync();
        var targetColumns = (await check.QueryAsync<string>("SELECT name FROM pragma_table_info('targets');")).ToList();
        Assert.Contains("private_key_ciphertext", targetColumns);
        Assert.Contains("private_key_passphrase_ciphertext", targetColumns);
        var roleColumns = (await check.QueryAsync<string>("SELECT name FROM pragma_table_info('roles');")).ToList();
        Assert.Contains("logins", roleColumns);
        Assert.Contains("browser_auth_prompts", roleColumns);
    }

    [Fact]
    public async Task ReplaceTargetSettings_IsACompareAndSwap()
    {
        var store = await NewStoreAsync();
        await InsertTargetAsync(store, "{\"v\":1}");
        var pinned = SshTargetSettings.Default with { HostKeyPins = [PinA] };
        Assert.True(await store.ReplaceTargetSettingsAsync("shell", SshTargetSettings.Default, pinned, DateTimeOffset.UnixEpoch));
        Assert.False(await store.ReplaceTargetSettingsAsync("shell", SshTargetSettings.Default, SshTargetSettings.Default with { HostKeyPins = [PinB] }, DateTimeOffset.UnixEpoch));
        Assert.Equal([PinA], ((SshTargetSettings)(await store.FindTargetAsync("shell"))!.Settings).HostKeyPins);
        Assert.False(await store.ReplaceTargetSettingsAsync("gone", SshTargetSettings.Default, pinned, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void SettingsFor_BuildsSshSettings_AndRefusesTheOtherProtocolsOptions()
    {
        var ssh = Assert.IsType<SshTargetSettings>(TargetRules.SettingsFor("ssh", [], TlsVerification.System, null, null, false,
            new SshSettingOptions([PinA], false, "vt100", ["backup"])));
        Assert.Equal([PinA], ssh.HostKeyPins);
        Assert.Equal((false, "vt100"), (ssh.TrustOnFirstUse, ssh.TerminalType));
        Assert.Equal(["backup"], ssh.Logins);
        Assert.True(SshTargetSettings.Default.SameAs(TargetRules.SettingsFor("ssh", [], TlsVerification.System, null, null, false)));

        var onVnc = Assert.Throws<ArgumentException>(() => TargetRules.SettingsFor("vnc", [], TlsVerification.System, null, null, false, new SshSettingOptions(Logins: ["x"])));
        Assert.Contains("are SSH settings; a vnc target takes none of them", onVnc.Message, StringComparison.Ordinal);
        var badPin = Assert.Throws<ArgumentException>(() => TargetRules.SettingsFor("ssh", [], TlsVerification.System, null, null, false, new SshSettingOptions(["SHA256:short"])));
        Assert.Contains("is not a SHA-256 fingerprint", badPin.Message, StringComparison.Ordinal);

        var noUser = Assert.Throws<ArgumentException>(() => TargetRules.Validate(
            new TargetRecord("shell", "Shell", "h", 22, "", new Dictionary<string, string>(), null, null, SshTargetSettings.Default, false)));
        Assert.Contains("an SSH target needs a username", noUser.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new UnsetTargetSettings("ssh").Validate());
    }

    private async Task<SqliteOrielStore> NewStoreAsync()
    {
        var store = new SqliteOrielStore(Path.Combine(_dir, "oriel.db"));
        await store.MigrateAsync(DateTimeOffset.UnixEpoch);
        return store;
    }

    private static async Task InsertTargetAsync(SqliteOrielStore store, string settings)
    {
        await using var c = new SqliteConnection($"Data Source={store.DatabasePath}");
        await c.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO targets (id, name, protocol, host, port, description, labels, username, password_ciphertext, settings, declared, created_at, updated_at) " +
            "VALUES ('shell', 'Shell', 'ssh', '192.0.2.6', 22, '', '{}', 'tester', NULL, @settings, 0, 0, 0);",
            new { settings });
    }

    private static async Task<string?> ScalarAsync(SqliteOrielStore store, string sql)
    {
        await using var c = new SqliteConnection($"Data Source={store.DatabasePath}");
        await c.OpenAsync();
        return await c.ExecuteScalarAsync<string>(sql);
    }

    /// <summary>A database built by migrations 0001 to <paramref name="last"/> only, as a gateway of that version left it.</summary>
    private static async Task<SqliteConnection> OpenAtAsync(string dbPath, int last)
    {
        var c = new SqliteConnection($"Data Source={dbPath}");
        await c.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);");
        foreach (var (version, name, sql) in SqliteOrielStore.LoadMigrations().Where(m => m.Version <= last))
        {
            await c.ExecuteAsync(sql);
            await c.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, 0);", new { version, name });
        }

        return c;
    }
}
