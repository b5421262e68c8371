using System.Net;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Tests;

public sealed class ConfigFileTests
{
    private static string Config(string pinHex) => $$"""
        {
          // comments and trailing commas are allowed
          "publicUrls": ["https://oriel.example.com"],
          "targets": [
            { "name": "Build Box", "host": "127.0.0.1", "port": 5902, "labels": { "env": "dev" },
              "passwordEnv": "BUILD_BOX_PW", "security": ["x509vnc", "vnc"], "tlsPin": "sha256:{{pinHex}}" },
            { "id": "lab", "name": "Lab", "host": "lab.internal", "port": 5900, "tlsInsecure": true, "passthroughLossless": true },
          ],
          "roles": [
            { "name": "devs", "targetLabels": [{ "env": "dev" }], "clipboardRead": true, "maxSessions": 1 },
          ],
          "users": [
            { "username": "erin", "initialPasswordEnv": "ERIN_PW", "roles": ["devs"] },
          ],
        }
        """;

    [Fact]
    public async Task ConfigFile_IsAppliedAtStart_Idempotently()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        var pin = new string('b', 64);
        await File.WriteAllTextAsync(Path.Combine(dir, "oriel.json"), Config(pin));
        var env = new Dictionary<string, string> { ["BUILD_BOX_PW"] = "box-secret-99", ["ERIN_PW"] = "erin-initial-pw" };
        void Configure(Configuration.GatewayOptions o) => o.GetEnvironmentVariable = n => env.GetValueOrDefault(n);

        long auditAfterFirst;
        await using (var gw = await TestGateway.StartAsync(Configure, dir))
        {
            var store = gw.Get<IOrielStore>();
            var box = (await store.FindTargetAsync("build-box"))!;
            var boxVnc = Assert.IsType<VncTargetSettings>(box.Settings);
            Assert.True(box.Declared);
            Assert.Equal(TlsVerification.Pinned, boxVnc.TlsVerification);
            Assert.Equal(pin, boxVnc.TlsPin);
            Assert.Equal(["x509vnc", "vnc"], boxVnc.Security);
            Assert.Equal("box-secret-99", gw.Get<Security.TargetSecretProtector>().Unprotect("build-box", box.PasswordCiphertext!));
            var labVnc = Assert.IsType<VncTargetSettings>((await store.FindTargetAsync("lab"))!.Settings);
            Assert.Equal(TlsVerification.Insecure, labVnc.TlsVerification);
            Assert.True(labVnc.PassthroughLossless);
            Assert.False(boxVnc.PassthroughLossless);
            var role = (await store.FindRoleAsync("devs"))!;
            Assert.True(role.Declared && role.ClipboardRead && !role.ClipboardWrite && role.MaxSessions == 1);
            var erin = (await store.FindUserByNameAsync("erin"))!;
            Assert.True(erin.Declared && erin.MustChangePassword);
            Assert.Equal(["devs"], erin.Roles);

            using var client = gw.NewClient();
            using var r = await client.SignInAsync("erin", "erin-initial-pw");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);

            // publicUrls from the file feed the origin check
            using var fromPublic = await client.PostJsonAsync("/api/auth/signout", new { }, req => req.Headers.Add("Origin", "https://oriel.example.com"));
            Assert.Equal(HttpStatusCode.NoContent, fromPublic.StatusCode);
            auditAfterFirst = (await gw.Get<IAuditLog>().VerifyChainAsync()).Count;
        }

        await using (var again = await TestGateway.StartAsync(Configure, dir))
        {
            Assert.Equal(["erin"], (await again.Get<IOrielStore>().ListUsersAsync()).Select(u => u.Username)); // declared users exist, so no first-run admin
            var verification = await again.Get<IAuditLog>().VerifyChainAsync();
            Assert.True(verification.IsValid);
            var recent = await again.Get<IAuditLog>().QueryAsync(new AuditQuery { Limit = 5 });
            Assert.True(auditAfterFirst == verification.Count, string.Join(", ", recent.Select(e => e.Kind + ":" + e.Target))); // nothing changed, nothing re-written
        }

        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task ConfigFile_WithUnknownField_OrMissingSecret_FailsStartWithAReadableError()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "oriel.json"), """{ "targetz": [] }""");
            var e1 = await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(dataDir: dir));
            Assert.Contains("targetz", e1.Message, StringComparison.Ordinal);

            await File.WriteAllTextAsync(Path.Combine(dir, "oriel.json"), Config(new string('c', 64)));
            var e2 = await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(o => o.GetEnvironmentVariable = _ => null, dir));
            Assert.Contains("BUILD_BOX_PW", e2.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
    [Fact]
    public async Task ConfigFile_SessionTimeouts_AreTheLimitsSessionsRunWith_UnsetOnesKeepTheirDefaults()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "oriel.json"), """
            {
              "sessionTimeouts": {
                "targetConnectSeconds": 4,
                "targetHandshakeSeconds": 17.5,
                "targetSilenceBeforeProbeSeconds": 120,
                "targetProbeAnswerSeconds": 20,
                "targetMidMessageSilenceSeconds": 25,
                "browserHandshakeSeconds": 45,
                "shutdownGraceSeconds": 10,
              },
            }
            """);
        try
        {
            await using var gw = await TestGateway.StartAsync(dataDir: dir);
            var limits = gw.Get<Configuration.GatewayOptions>().SessionTimeouts;
            var defaults = new Configuration.SessionTimeouts();
            Assert.Equal(defaults with
            {
                TargetConnect = TimeSpan.FromSeconds(4),
                TargetHandshake = TimeSpan.FromSeconds(17.5),
                TargetSilenceBeforeProbe = TimeSpan.FromSeconds(120),
                TargetProbeAnswer = TimeSpan.FromSeconds(20),
                TargetMidMessageSilence = TimeSpan.FromSeconds(25),
                BrowserHandshake = TimeSpan.FromSeconds(45),
                ShutdownGrace = TimeSpan.FromSeconds(10),
            }, limits);
            Assert.Equal(defaults.TargetTls, limits.TargetTls);
            Assert.Equal(defaults.BrowserCloseGrace, limits.BrowserCloseGrace);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{ "targetConnectSeconds": 0 }""", "targetConnectSeconds is 0; it must be a number of seconds from 0.1 to 300")]
    [InlineData("""{ "targetProbeAnswerSeconds": -5 }""", "targetProbeAnswerSeconds is -5; it must be a number of seconds from 0.1 to 600")]
    [InlineData("""{ "targetSilenceBeforeProbeSeconds": 86400 }""", "targetSilenceBeforeProbeSeconds is 86400; it must be a number of seconds from 1 to 3600")]
    [InlineData("""{ "targetSilenceBeforeProbeSeconds": 0.5 }""", "targetSilenceBeforeProbeSeconds is 0.5; it must be a number of seconds from 1 to 3600")]
    [InlineData("""{ "shutdownGraceSeconds": 600 }""", "shutdownGraceSeconds is 600; it must be a number of seconds from 0.1 to 60")]
    [InlineData("""{ "targetTlsSeconds": 30, "targetHandshakeSeconds": 20 }""", "targetTlsSeconds (30) must not exceed targetHandshakeSeconds (20)")]
    [InlineData("""{ "targetSilenceBeforeProbeSeconds": 10 }""", "targetMidMessageSilenceSeconds (15) must not exceed targetSilenceBeforeProbeSeconds (10)")]
    [InlineData("""{ "targetConnectSecs": 5 }""", "targetConnectSecs")]
    [InlineData("""{ "targetConnectSeconds": "10s" }""", "targetConnectSeconds")]
    public async Task ConfigFile_WithABadSessionTimeout_FailsStartNamingTheSettingAndTheRule(string section, string expected)
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "oriel.json");
        await File.WriteAllTextAsync(path, $$"""{ "sessionTimeouts": {{section}} }""");
        try
        {
            var e = await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(dataDir: dir));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
