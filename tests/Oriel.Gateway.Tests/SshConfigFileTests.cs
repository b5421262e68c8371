using Microsoft.Data.Sqlite;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Tests;

/// <summary>
/// SSH targets and the SSH role settings in <c>oriel.json</c>: the key is read from its file when the file is applied
/// and stored encrypted with its passphrase; applying the same file again writes nothing; mistakes fail the start with a
/// sentence naming the file, the target and the field.
/// </summary>
public sealed class SshConfigFileTests : IDisposable
{
    private const string Pin = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

    private readonly string _dir = TestGateway.NewDataDir();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string Config(string keyFile, string extraTarget = "") => $$"""
        {
          "targets": [
            { "id": "shell", "name": "Shell", "protocol": "ssh", "host": "192.0.2.80", "port": 2222, "username": "tester",
              "passwordEnv": "SHELL_PW", "privateKeyFile": "{{keyFile}}", "privateKeyPassphraseEnv": "SHELL_KEY_PASSPHRASE",
              "hostKeyPins": ["{{Pin}}"], "trustOnFirstUse": false, "terminalType": "xterm", "logins": ["backup", "deploy"],
              "labels": { "env": "lab" } },
            {{extraTarget}}
          ],
          "roles": [
            { "name": "operators", "targetLabels": [{ "env": "lab" }], "logins": ["backup"], "fileDownload": true, "fileUpload": true,
              "browserAuthPrompts": true },
          ],
        }
        """;

    [Fact]
    public async Task AnSshTarget_AndItsRole_AreApplied_WithTheKeyEncrypted_AndReapplyingWritesNothing()
    {
        var keyFile = await SshTestKeys.CreateAsync(Path.Combine(_dir, "keys"), "ed25519", "file-passphrase");
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "oriel.json"), Config(keyFile));
        var env = new Dictionary<string, string> { ["SHELL_PW"] = "shell-pw-1", ["SHELL_KEY_PASSPHRASE"] = "file-passphrase" };
        void Configure(Configuration.GatewayOptions o) => o.GetEnvironmentVariable = n => env.GetValueOrDefault(n);

        long eventsAfterFirst;
        await using (var gw = await TestGateway.StartAsync(Configure, _dir))
        {
            var shell = (await gw.Get<IOrielStore>().FindTargetAsync("shell"))!;
            var ssh = Assert.IsType<SshTargetSettings>(shell.Settings);
            Assert.Equal([Pin], ssh.HostKeyPins);
            Assert.Equal((false, "xterm", 2222, "tester", true), (ssh.TrustOnFirstUse, ssh.TerminalType, shell.Port, shell.Username, shell.Declared));
            Assert.Equal(["backup", "deploy"], ssh.Logins);
            var protector = gw.Get<TargetSecretProtector>();
            Assert.Equal(await File.ReadAllTextAsync(keyFile), protector.Unprotect("shell", TargetSecretKind.PrivateKey, shell.PrivateKeyCiphertext!));
            Assert.Equal("file-passphrase", protector.Unprotect("shell", TargetSecretKind.PrivateKeyPassphrase, shell.PrivateKeyPassphraseCiphertext!));
            Assert.Equal("shell-pw-1", protector.Unprotect("shell", shell.PasswordCiphertext!));

            var role = (await gw.Get<IOrielStore>().FindRoleAsync("operators"))!;
            Assert.Equal(["backup"], role.Logins);
            Assert.Equal((true, true, true, true), (role.FileDownload, role.FileUpload, role.BrowserAuthPrompts, role.Declared));
            var add = Assert.Single(await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.TargetAdd }));
            Assert.True(add.Details!["keyChanged"]!.GetValue<bool>());
            Assert.DoesNotContain("PRIVATE KEY", add.Details.ToJsonString(), StringComparison.Ordinal);
            eventsAfterFirst = (await gw.Get<IAuditLog>().VerifyChainAsync()).Count;
        }

        await using (var again = await TestGateway.StartAsync(Configure, _dir))
        {
            Assert.Equal(eventsAfterFirst, (await again.Get<IAuditLog>().VerifyChainAsync()).Count); // same key, passphrase, password: nothing written
        }

        // A new key in the file is taken at the next start, audited as a key change.
        var newKey = await SshTestKeys.CreateAsync(Path.Combine(_dir, "keys"), "ed25519", "file-passphrase");
        File.Copy(newKey, keyFile, overwrite: true);
        await using (var third = await TestGateway.StartAsync(Configure, _dir))
        {
            var shell = (await third.Get<IOrielStore>().FindTargetAsync("shell"))!;
            Assert.Equal(await File.ReadAllTextAsync(newKey), third.Get<TargetSecretProtector>().Unprotect("shell", TargetSecretKind.PrivateKey, shell.PrivateKeyCiphertext!));
            var update = (await third.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.TargetUpdate, Limit = 1 }))[0];
            Assert.True(update.Details!["keyChanged"]!.GetValue<bool>());
            Assert.False(update.Details["passphraseChanged"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task APinLearnedOnFirstUse_SurvivesTheNextStart_WhenTheFileNamesNoPins()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "oriel.json"), """
            { "targets": [ { "id": "shell", "name": "Shell", "protocol": "ssh", "host": "192.0.2.83", "port": 22, "username": "tester" } ] }
            """);
        var key = new Ssh.SshHostKey("ssh-ed25519", Pin, 256);
        await using (var gw = await TestGateway.StartAsync(dataDir: _dir))
        {
            Assert.True(await gw.Get<Ssh.ISshHostKeyStore>().PinAsync("shell", key, "erin", CancellationToken.None));
        }

        await using (var again = await TestGateway.StartAsync(dataDir: _dir))
        {
            Assert.Equal([Pin], Assert.IsType<SshTargetSettings>((await again.Get<IOrielStore>().FindTargetAsync("shell"))!.Settings).HostKeyPins);
        }

        await File.WriteAllTextAsync(Path.Combine(_dir, "oriel.json"), """
            { "targets": [ { "id": "shell", "name": "Shell", "protocol": "ssh", "host": "192.0.2.83", "port": 22, "username": "tester", "hostKeyPins": [] } ] }
            """);
        await using (var named = await TestGateway.StartAsync(dataDir: _dir))
        {
            Assert.Empty(Assert.IsType<SshTargetSettings>((await named.Get<IOrielStore>().FindTargetAsync("shell"))!.Settings).HostKeyPins);
        }
    }

    [Theory]
    [InlineData("pub", "target 'Shell': this is a public key")]
    [InlineData("missing", "target 'Shell': privateKeyFile '")]
    [InlineData("vnc-pins", "target 'Desk': host key pins, trust on first use, terminal type and logins are SSH settings; a vnc target takes none of them")]
    [InlineData("no-user", "target 'Bare': an SSH target needs a username")]
    [InlineData("bad-login", "role 'operators': login 'no way' must be")]
    public async Task Mistakes_FailTheStart_WithASentenceNamingTheFileTheTargetAndTheField(string mistake, string expected)
    {
        var keyFile = await SshTestKeys.CreateAsync(Path.Combine(_dir, "keys"));
        Directory.CreateDirectory(_dir);
        var config = mistake switch
        {
            "pub" => Config(keyFile + ".pub"),
            "missing" => Config(keyFile + ".missing"),
            "vnc-pins" => Config(keyFile, $$"""{ "name": "Desk", "host": "192.0.2.81", "port": 5900, "hostKeyPins": ["{{Pin}}"] },"""),
            "no-user" => Config(keyFile, """{ "name": "Bare", "protocol": "ssh", "host": "192.0.2.82", "port": 22 },"""),
            _ => Config(keyFile).Replace("\"logins\": [\"backup\"]", "\"logins\": [\"no way\"]", StringComparison.Ordinal),
        };
        await File.WriteAllTextAsync(Path.Combine(_dir, "oriel.json"), config);
        var env = new Dictionary<string, string> { ["SHELL_PW"] = "pw", ["SHELL_KEY_PASSPHRASE"] = "pp" };
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(o => o.GetEnvironmentVariable = n => env.GetValueOrDefault(n), _dir));
        Assert.Contains("oriel.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
