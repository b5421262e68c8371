using Microsoft.Data.Sqlite;
using Oriel.Gateway.Cli;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Tests;

/// <summary>
/// <c>oriel targets add/update/show</c> with SSH targets (the key read from a file made by ssh-keygen, the passphrase
/// from standard input, pins replaced and cleared), and the SSH options of <c>oriel roles add</c>, against a real data directory.
/// </summary>
public sealed class SshCliTests : IDisposable
{
    private const string PinA = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
    private const string PinB = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

    private readonly string _dir = TestGateway.NewDataDir();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<(int Code, string Out, string Err)> Run(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new OrielCli(output, error, new StringReader(stdin)) { ConfigureOptions = TestGateway.Configure };
        var code = await cli.InvokeAsync([.. args, "--data", _dir]);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task SshTargets_AddShowUpdate_WithKeyAndPins()
    {
        var key = await SshTestKeys.CreateAsync(Path.Combine(_dir, "keys"), "ed25519", "cli-passphrase");
        var add = await Run("tester-pw\ncli-passphrase\n", "targets", "add", "Shell Box", "--protocol", "ssh", "--host", "192.0.2.90", "--username", "tester",
            "--password-stdin", "--private-key-file", key, "--passphrase-stdin", "--host-key-pin", PinA, "--no-trust-on-first-use",
            "--login", "backup", "--login", "deploy", "--terminal-type", "screen");
        Assert.True(add.Code == 0, add.Err);
        Assert.Contains("added target shell-box (ssh://192.0.2.90:22)", add.Out, StringComparison.Ordinal);

        var show = (await Run("", "targets", "show", "shell-box")).Out;
        Assert.Contains("host keys:    " + PinA + " (pinned)", show, StringComparison.Ordinal);
        Assert.Contains("first use:    not trusted", show, StringComparison.Ordinal);
        Assert.Contains("terminal:     screen", show, StringComparison.Ordinal);
        Assert.Contains("logins:       backup,deploy (besides the username, where a role allows)", show, StringComparison.Ordinal);
        Assert.Contains("private key:  set (encrypted)", show, StringComparison.Ordinal);
        Assert.Contains("passphrase:   set (encrypted)", show, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY-----", show, StringComparison.Ordinal);
        Assert.DoesNotContain("cli-passphrase", show, StringComparison.Ordinal);

        var (keyText, passphrase, password) = await SecretsAsync();
        Assert.Equal(await File.ReadAllTextAsync(key), keyText);
        Assert.Equal(("cli-passphrase", "tester-pw"), (passphrase, password));

        // update changes what is given, keeps the rest (secrets included)
        var update = await Run("", "targets", "update", "shell-box", "--host-key-pin", PinB, "--trust-on-first-use", "--clear-logins", "--port", "2222");
        Assert.True(update.Code == 0, update.Err);
        Assert.Contains("updated target shell-box (ssh://192.0.2.90:2222)", update.Out, StringComparison.Ordinal);
        var ssh = await SettingsAsync();
        Assert.Equal([PinB], ssh.HostKeyPins);
        Assert.True(ssh.TrustOnFirstUse);
        Assert.Empty(ssh.Logins);
        Assert.Equal("screen", ssh.TerminalType);
        Assert.Equal((keyText, passphrase, password), await SecretsAsync());

        // add over the target without naming pins keeps them (they may have been learned on first use)
        Assert.Equal(0, (await Run("", "targets", "add", "Shell Box", "--protocol", "ssh", "--host", "192.0.2.90", "--port", "2222", "--username", "tester")).Code);
        Assert.Equal([PinB], (await SettingsAsync()).HostKeyPins);

        Assert.Equal(0, (await Run("", "targets", "update", "shell-box", "--clear-host-key-pins")).Code);
        Assert.Empty((await SettingsAsync()).HostKeyPins);
        Assert.Contains("host keys:    none pinned yet (the first key seen is pinned)", (await Run("", "targets", "show", "shell-box")).Out, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("", "targets", "update", "shell-box", "--clear-private-key")).Code);
        Assert.Equal((null, null, password), await SecretsAsync());

        var audit = (await Run("", "audit", "list", "--since", "1h", "--kind", "admin.target.")).Out;
        Assert.Contains("admin.target.update\tcli\tshell-box", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mistakes_AreRefusedWithASentence()
    {
        var key = await SshTestKeys.CreateAsync(Path.Combine(_dir, "keys"));
        async Task<string> Refused(string stdin, params string[] args)
        {
            var r = await Run(stdin, args);
            Assert.Equal(1, r.Code);
            return r.Err;
        }

        Assert.Contains("this is a public key", await Refused("", "targets", "add", "S", "--protocol", "ssh", "--host", "h", "--username", "u", "--private-key-file", key + ".pub"), StringComparison.Ordinal);
        Assert.Contains("an SSH target needs a username", await Refused("", "targets", "add", "S", "--protocol", "ssh", "--host", "h"), StringComparison.Ordinal);
        Assert.Contains("is not a SHA-256 fingerprint", await Refused("", "targets", "add", "S", "--protocol", "ssh", "--host", "h", "--username", "u", "--host-key-pin", "SHA256:xyz"), StringComparison.Ordinal);
        Assert.Contains("for SSH targets", await Refused("", "targets", "add", "D", "--host", "h", "--private-key-file", key), StringComparison.Ordinal);
        Assert.Contains("the passphrase read is empty", await Refused("\n", "targets", "add", "S", "--protocol", "ssh", "--host", "h", "--username", "u", "--private-key-file", key, "--passphrase-stdin"), StringComparison.Ordinal);

        Assert.Equal(0, (await Run("", "targets", "add", "Desk", "--host", "h")).Code);
        Assert.Contains("are SSH settings; target 'desk' is a vnc target", await Refused("", "targets", "update", "desk", "--host-key-pin", PinA), StringComparison.Ordinal);
        Assert.Contains("no target with id 'gone'", await Refused("", "targets", "update", "gone", "--port", "1"), StringComparison.Ordinal);
        Assert.Equal(0, (await Run("", "targets", "add", "S", "--protocol", "ssh", "--host", "h", "--username", "u")).Code);
        Assert.Contains("use either --host-key-pin or --clear-host-key-pins", await Refused("", "targets", "update", "s", "--host-key-pin", PinA, "--clear-host-key-pins"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_TakeTheSshOptions()
    {
        var add = await Run("", "roles", "add", "ops", "--target", "*", "--login", "backup", "--login", "deploy", "--file-download", "--browser-auth-prompts");
        Assert.True(add.Code == 0, add.Err);
        var list = (await Run("", "roles", "list")).Out;
        Assert.Contains("\tLOGINS\tFILES\tPROMPTS", list, StringComparison.Ordinal);
        Assert.Contains("\tbackup,deploy\tdownload\tyes", list, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("", "roles", "add", "uploaders", "--target", "*", "--login", "*", "--file-upload")).Code);
        Assert.Contains("uploaders\t*\t", (await Run("", "roles", "list")).Out, StringComparison.Ordinal);
        Assert.Contains("\t*\tupload\tno", (await Run("", "roles", "list")).Out, StringComparison.Ordinal);

        var bad = await Run("", "roles", "add", "odd", "--login", "bad name");
        Assert.Equal(1, bad.Code);
        Assert.Contains("login 'bad name' must be", bad.Err, StringComparison.Ordinal);
    }

    private async Task<SshTargetSettings> SettingsAsync()
    {
        var store = new SqliteOrielStore(Path.Combine(_dir, "oriel.db"));
        return Assert.IsType<SshTargetSettings>((await store.FindTargetAsync("shell-box"))!.Settings);
    }

    private async Task<(string? Key, string? Passphrase, string? Password)> SecretsAsync()
    {
        var store = new SqliteOrielStore(Path.Combine(_dir, "oriel.db"));
        var t = (await store.FindTargetAsync("shell-box"))!;
        var protector = new TargetSecretProtector(SecretKeyRing.LoadOrCreate(Path.Combine(_dir, SecretKeyRing.FileName)));
        return (
            t.PrivateKeyCiphertext is null ? null : protector.Unprotect(t.Id, TargetSecretKind.PrivateKey, t.PrivateKeyCiphertext),
            t.PrivateKeyPassphraseCiphertext is null ? null : protector.Unprotect(t.Id, TargetSecretKind.PrivateKeyPassphrase, t.PrivateKeyPassphraseCiphertext),
            t.PasswordCiphertext is null ? null : protector.Unprotect(t.Id, t.PasswordCiphertext));
    }
}
