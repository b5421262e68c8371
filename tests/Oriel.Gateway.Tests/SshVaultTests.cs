using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The vault of SSH targets: a private key (made by the real ssh-keygen) and its passphrase are stored encrypted like
/// the password, bound to the target and to the kind of secret; saving follows null keeps / "" clears / text replaces,
/// audited without the secrets; a key is checked to look like one; access decisions carry them decrypted, with the
/// new role permissions.
/// </summary>
public sealed class SshVaultTests : IAsyncLifetime
{
    private const string Passphrase = "correct horse battery staple";
    private const string TargetPassword = "tester-password-1";

    private readonly string _keys = Path.Combine(Path.GetTempPath(), "oriel-gw-keys", Guid.NewGuid().ToString("N"));
    private TestGateway _gw = null!;

    public async Task InitializeAsync() => _gw = await TestGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }
    }

    [Fact]
    public void Ciphertexts_AreBoundToTheTargetAndTheKindOfSecret()
    {
        var protector = _gw.Get<TargetSecretProtector>();
        var key = protector.Protect("shell", TargetSecretKind.PrivateKey, "key text");
        Assert.Equal("key text", protector.Unprotect("shell", TargetSecretKind.PrivateKey, key));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("other", TargetSecretKind.PrivateKey, key));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("shell", TargetSecretKind.PrivateKeyPassphrase, key));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("shell", TargetSecretKind.Password, key));

        // Passwords keep the associated data they always had: ciphertexts written before the kinds existed still decrypt.
        var password = protector.Protect("shell", "pw");
        Assert.Equal("pw", protector.Unprotect("shell", TargetSecretKind.Password, password));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("shell", TargetSecretKind.PrivateKey, password));
    }

    [Fact]
    public async Task SavingKeys_NullKeeps_EmptyClears_TextReplaces_AuditedWithoutTheSecrets()
    {
        var keyPath = await SshTestKeys.CreateAsync(_keys, "ed25519", Passphrase);
        var keyText = await File.ReadAllTextAsync(keyPath);
        var targets = _gw.Get<TargetService>();
        var store = _gw.Get<IOrielStore>();
        var protector = _gw.Get<TargetSecretProtector>();

        Assert.True(await targets.SaveWithSecretsAsync(Shell(), new TargetSecretChanges(TargetPassword, keyText, Passphrase), "tests"));
        var saved = (await store.FindTargetAsync("shell"))!;
        Assert.Equal(keyText, protector.Unprotect("shell", TargetSecretKind.PrivateKey, saved.PrivateKeyCiphertext!));
        Assert.Equal(Passphrase, protector.Unprotect("shell", TargetSecretKind.PrivateKeyPassphrase, saved.PrivateKeyPassphraseCiphertext!));
        Assert.Equal(TargetPassword, protector.Unprotect("shell", saved.PasswordCiphertext!));
        var added = await LastAuditAsync(AuditKinds.TargetAdd);
        Assert.True(added.Details!["keyChanged"]!.GetValue<bool>());
        Assert.True(added.Details["passphraseChanged"]!.GetValue<bool>());
        AssertHoldsNoSecret(added.Details.ToJsonString(), keyText);

        // The key is nowhere in the database files in plain text.
        SqliteConnection.ClearAllPools();
        var keyBody = Encoding.UTF8.GetBytes(keyText.Split('\n')[1]);
        foreach (var file in Directory.GetFiles(_gw.DataDir, "oriel.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(keyBody) < 0, $"plaintext key found in {file}");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Passphrase)) < 0, $"plaintext passphrase found in {file}");
        }

        // null keeps: an update of other fields keeps every secret, and says the key did not change.
        Assert.False(await targets.SaveWithSecretsAsync(Shell() with { Description = "renamed" }, TargetSecretChanges.None, "tests"));
        var kept = (await store.FindTargetAsync("shell"))!;
        Assert.Equal((saved.PasswordCiphertext, saved.PrivateKeyCiphertext, saved.PrivateKeyPassphraseCiphertext),
            (kept.PasswordCiphertext, kept.PrivateKeyCiphertext, kept.PrivateKeyPassphraseCiphertext));
        var update = await LastAuditAsync(AuditKinds.TargetUpdate);
        Assert.False(update.Details!["keyChanged"]!.GetValue<bool>());
        Assert.False(update.Details["passphraseChanged"]!.GetValue<bool>());
        Assert.False(update.Details["passwordChanged"]!.GetValue<bool>());

        // The old password-only overload keeps the key too.
        await targets.SaveAsync(Shell(), "new-password-2", "tests");
        Assert.Equal(saved.PrivateKeyCiphertext, (await store.FindTargetAsync("shell"))!.PrivateKeyCiphertext);

        // text replaces
        var otherKeyText = await File.ReadAllTextAsync(await SshTestKeys.CreateAsync(_keys, "ecdsa"));
        await targets.SaveWithSecretsAsync(Shell(), new TargetSecretChanges(PrivateKey: otherKeyText, PrivateKeyPassphrase: ""), "tests");
        var replaced = (await store.FindTargetAsync("shell"))!;
        Assert.Equal(otherKeyText, protector.Unprotect("shell", TargetSecretKind.PrivateKey, replaced.PrivateKeyCiphertext!));
        Assert.Null(replaced.PrivateKeyPassphraseCiphertext);
        Assert.True((await LastAuditAsync(AuditKinds.TargetUpdate)).Details!["keyChanged"]!.GetValue<bool>());

        // "" clears the key, and its passphrase with it.
        await targets.SaveWithSecretsAsync(Shell(), new TargetSecretChanges(PrivateKeyPassphrase: "pp"), "tests");
        await targets.SaveWithSecretsAsync(Shell(), new TargetSecretChanges(PrivateKey: ""), "tests");
        var cleared = (await store.FindTargetAsync("shell"))!;
        Assert.Null(cleared.PrivateKeyCiphertext);
        Assert.Null(cleared.PrivateKeyPassphraseCiphertext);
        Assert.NotNull(cleared.PasswordCiphertext);
        var clearedEvent = await LastAuditAsync(AuditKinds.TargetUpdate);
        Assert.True(clearedEvent.Details!["keyChanged"]!.GetValue<bool>());
        Assert.True(clearedEvent.Details["passphraseChanged"]!.GetValue<bool>());
    }

    [Fact]
    public async Task KeysThatAreNotPrivateKeys_AreRefusedWithASentence()
    {
        var keyPath = await SshTestKeys.CreateAsync(_keys, "ed25519");
        var keyText = await File.ReadAllTextAsync(keyPath);
        var targets = _gw.Get<TargetService>();

        async Task<string> Refused(TargetRecord target, TargetSecretChanges changes) =>
            (await Assert.ThrowsAsync<ArgumentException>(() => targets.SaveWithSecretsAsync(target, changes, "tests"))).Message;

        Assert.Contains("this is a public key", await Refused(Shell(), new(PrivateKey: await File.ReadAllTextAsync(keyPath + ".pub"))), StringComparison.Ordinal);
        Assert.Contains("PuTTY key", await Refused(Shell(), new(PrivateKey: "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n")), StringComparison.Ordinal);
        var lines = keyText.TrimEnd('\n').Split('\n');
        Assert.Contains("must end with the line -----END OPENSSH PRIVATE KEY-----", await Refused(Shell(), new(PrivateKey: string.Join('\n', lines[..^1]))), StringComparison.Ordinal);
        Assert.Contains("is not base64", await Refused(Shell(), new(PrivateKey: $"{lines[0]}\nnot*base64\n{lines[^1]}\n")), StringComparison.Ordinal);
        Assert.Contains("must start with a line like", await Refused(Shell(), new(PrivateKey: "hello")), StringComparison.Ordinal);
        Assert.Contains("for SSH targets", await Refused(Desk(), new(PrivateKey: keyText)), StringComparison.Ordinal);
        Assert.Contains("the target has no private key", await Refused(Shell(), new(PrivateKeyPassphrase: "pp")), StringComparison.Ordinal);
        Assert.Null(await _gw.Get<IOrielStore>().FindTargetAsync("shell"));

        // An RSA key in PEM form (passphrase-protected, with its RFC 1421 headers) is accepted; CR LF line ends become LF.
        var pem = await File.ReadAllTextAsync(await SshTestKeys.CreateAsync(_keys, "rsa", "pem-pass", pem: true));
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n", pem, StringComparison.Ordinal);
        await targets.SaveWithSecretsAsync(Shell(), new TargetSecretChanges(PrivateKey: pem.Replace("\n", "\r\n", StringComparison.Ordinal), PrivateKeyPassphrase: "pem-pass"), "tests");
        var stored = (await _gw.Get<IOrielStore>().FindTargetAsync("shell"))!;
        Assert.Equal(pem, _gw.Get<TargetSecretProtector>().Unprotect("shell", TargetSecretKind.PrivateKey, stored.PrivateKeyCiphertext!));
        Assert.True(targets.SecretEquals(stored, TargetSecretKind.PrivateKey, pem.Replace("\n", "\r\n", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AccessDecisions_CarryTheDecryptedKey_AndTheRolesSshPermissions()
    {
        var keyText = await File.ReadAllTextAsync(await SshTestKeys.CreateAsync(_keys, "ed25519", Passphrase));
        await _gw.Get<TargetService>().SaveWithSecretsAsync(Shell(), new TargetSecretChanges(TargetPassword, keyText, Passphrase), "tests");
        var roles = _gw.Get<RoleService>();
        await roles.SaveAsync(new RoleRecord("readers", "", ["shell"], [], false, false, true, null, false) { FileDownload = true, Logins = ["backup"] }, "tests");
        await roles.SaveAsync(new RoleRecord("prompters", "", ["shell"], [], false, false, true, null, false) { BrowserAuthPrompts = true, Logins = ["ops"] }, "tests");
        var (user, _) = await _gw.Get<UserService>().CreateAsync("erin", "erin-password-1", false, ["readers", "prompters"], false, "tests");
        var access = _gw.Get<IAccessService>();

        var decision = await access.AuthorizeSessionAsync(OrielClaims.Create(user, "sid"), "shell", CancellationToken.None);
        Assert.True(decision.Allowed);
        Assert.Equal((keyText, Passphrase, TargetPassword, "tester"), (decision.Target!.PrivateKey, decision.Target.PrivateKeyPassphrase, decision.Target.Password, decision.Target.Username));
        Assert.DoesNotContain("PRIVATE KEY", decision.Target.ToString(), StringComparison.Ordinal);
        var p = decision.Permissions;
        Assert.Equal((true, false, true), (p.FileDownload, p.FileUpload, p.BrowserAuthPrompts));
        Assert.True(p.Logins.SetEquals(["backup", "ops"]));
        Assert.Equal(new SessionPermissions(false, false, true, null) { FileDownload = true, BrowserAuthPrompts = true, Logins = new HashSet<string> { "ops", "backup" } }, p);

        var admin = (await _gw.Get<UserService>().CreateAsync("root", "root-password-1", true, [], false, "tests")).User;
        var full = (await access.AuthorizeSessionAsync(OrielClaims.Create(admin, "sid2"), "shell", CancellationToken.None)).Permissions;
        Assert.Equal((true, true, true), (full.FileDownload, full.FileUpload, full.BrowserAuthPrompts));
        Assert.Contains(TargetLogins.Any, full.Logins);

        // A key ciphertext moved onto another target does not decrypt: the session is refused, nothing leaks.
        var store = _gw.Get<IOrielStore>();
        await _gw.Get<TargetService>().SaveWithSecretsAsync(Shell() with { Id = "shell2", Name = "Shell 2" }, TargetSecretChanges.None, "tests");
        var moved = (await store.FindTargetAsync("shell2"))! with { PrivateKeyCiphertext = (await store.FindTargetAsync("shell"))!.PrivateKeyCiphertext };
        await store.UpsertTargetAsync(moved, DateTimeOffset.UnixEpoch);
        var refused = await access.AuthorizeSessionAsync(OrielClaims.Create(admin, "sid3"), "shell2", CancellationToken.None);
        Assert.False(refused.Allowed);
        Assert.Contains("stored credentials cannot be read", refused.Reason, StringComparison.Ordinal);
    }

    private static TargetRecord Shell() =>
        new("shell", "Shell", "192.0.2.50", 22, "", new Dictionary<string, string>(), "tester", null, SshTargetSettings.Default, false);

    private static TargetRecord Desk() =>
        new("desk", "Desk", "192.0.2.51", 5900, "", new Dictionary<string, string>(), null, null, VncTargetSettings.Default, false);

    private static void AssertHoldsNoSecret(string text, string keyText)
    {
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain(keyText.Split('\n')[1], text, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TargetPassword, text, StringComparison.Ordinal);
    }

    private async Task<AuditEvent> LastAuditAsync(string kind) =>
        (await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = kind, Limit = 1 }))[0];
}
