using System.Net;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Cli;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The roles' recording settings (mode, input, recordings access, live view) from the configuration file, the CLI and
/// the admin API, and how access combines them: the strictest mode, the most input, the widest recordings access.
/// </summary>
public sealed class RoleRecordingSettingsTests : IDisposable
{
    private readonly string _dir = TestGateway.NewDataDir();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static TargetRecord Target(string id, string env) =>
        new(id, id.ToUpperInvariant(), "192.0.2.5", 5901, "", new Dictionary<string, string> { ["env"] = env }, null, null, VncTargetSettings.Default, false);

    private static RoleRecord Role(string name, string env) =>
        new(name, "", [], [new Dictionary<string, string> { ["env"] = env }], false, false, true, null, false);

    [Fact]
    public async Task ConfigFile_DeclaresRecordingSettings_AndRefusesAnUnknownValueByName()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "oriel.json"), """
            {
              "recordingKeyframeSeconds": 2.5,
              "roles": [
                { "name": "auditors", "targets": ["*"], "recording": "required", "recordInput": "full", "recordings": "all", "watchLive": true },
                { "name": "devs", "targets": ["*"], "recordings": "own" },
                { "name": "quiet", "targets": ["*"], "recording": "off", "recordInput": "off" },
              ],
            }
            """);
        await using (var gw = await TestGateway.StartAsync(dataDir: _dir))
        {
            Assert.Equal(TimeSpan.FromSeconds(2.5), gw.Get<Recordings.RecordingService>().KeyframeInterval);
            var store = gw.Get<IOrielStore>();
            var auditors = (await store.FindRoleAsync("auditors"))!;
            Assert.Equal((RecordingMode.Required, InputRecording.Full, RecordingsAccess.All, true), (auditors.Recording, auditors.RecordInput, auditors.Recordings, auditors.WatchLive));
            var devs = (await store.FindRoleAsync("devs"))!;
            Assert.Equal((RecordingMode.BestEffort, InputRecording.Redacted, RecordingsAccess.Own, false), (devs.Recording, devs.RecordInput, devs.Recordings, devs.WatchLive));
            var quiet = (await store.FindRoleAsync("quiet"))!;
            Assert.Equal((RecordingMode.Off, InputRecording.Off), (quiet.Recording, quiet.RecordInput));

            var added = (await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.RoleAdd, Target = "auditors" })).Single();
            Assert.Equal("required", added.Details!["recording"]!.GetValue<string>());
            Assert.Equal("full", added.Details["recordInput"]!.GetValue<string>());
            Assert.Equal("all", added.Details["recordings"]!.GetValue<string>());
            Assert.True(added.Details["watchLive"]!.GetValue<bool>());
        }

        SqliteConnection.ClearAllPools();
        await File.WriteAllTextAsync(Path.Combine(_dir, "oriel.json"), """{ "roles": [ { "name": "ops", "recording": "sometimes" } ] }""");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(dataDir: _dir));
        Assert.Contains("role 'ops'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknown recording mode 'sometimes' (use off, best-effort or required)", e.Message, StringComparison.Ordinal);

        SqliteConnection.ClearAllPools();
        await File.WriteAllTextAsync(Path.Combine(_dir, "oriel.json"), """{ "recordingKeyframeSeconds": 0 }""");
        var e2 = await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(dataDir: _dir));
        Assert.Contains("recordingKeyframeSeconds must be 0.5-600 seconds", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_RolesAdd_TakesTheRecordingOptions_AndListShowsThem()
    {
        async Task<(int Code, string Out, string Err)> Run(params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var cli = new OrielCli(output, error, new StringReader("")) { ConfigureOptions = TestGateway.Configure };
            var code = await cli.InvokeAsync([.. args, "--data", _dir]);
            return (code, output.ToString(), error.ToString());
        }

        Assert.Equal(0, (await Run("roles", "add", "auditors", "--target", "*", "--recording", "required", "--record-input", "full", "--recordings", "all", "--watch-live")).Code);
        Assert.Equal(0, (await Run("roles", "add", "devs", "--target", "*")).Code);
        var bad = await Run("roles", "add", "x", "--recording", "sometimes");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("sometimes", bad.Err, StringComparison.Ordinal);

        var list = await Run("roles", "list");
        Assert.Contains("NAME\tTARGETS\tLABELS\tCLIPBOARD\tRESIZE\tMAX\tLINKS\tRECORDING\tINPUT\tRECORDINGS\tWATCH", list.Out, StringComparison.Ordinal);
        Assert.Contains("auditors\t*\t\tnone\tyes\t-\tno\trequired\tfull\tall\tyes", list.Out, StringComparison.Ordinal);
        Assert.Contains("devs\t*\t\tnone\tyes\t-\tno\tbest-effort\tredacted\tnone\tno", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("x\t", list.Out, StringComparison.Ordinal);

        SqliteConnection.ClearAllPools();
        var store = new SqliteOrielStore(Path.Combine(_dir, "oriel.db"));
        var auditors = (await store.FindRoleAsync("auditors"))!;
        Assert.Equal((RecordingMode.Required, InputRecording.Full, RecordingsAccess.All, true), (auditors.Recording, auditors.RecordInput, auditors.Recordings, auditors.WatchLive));
    }

    [Fact]
    public async Task Access_TakesTheStrictestMode_TheMostInput_AndTheWidestRecordingsAccess()
    {
        await using var gw = await TestGateway.StartAsync(dataDir: _dir);
        var targets = gw.Get<TargetService>();
        await targets.SaveAsync(Target("dev-1", "dev"), null, "test");
        await targets.SaveAsync(Target("prod-1", "prod"), null, "test");
        var roles = gw.Get<RoleService>();
        await roles.SaveAsync(Role("dev", "dev") with { Recording = RecordingMode.Off, RecordInput = InputRecording.Off, Recordings = RecordingsAccess.Own }, "test");
        await roles.SaveAsync(Role("prod", "prod") with { Recording = RecordingMode.Required, RecordInput = InputRecording.Full, WatchLive = true }, "test");
        await roles.SaveAsync(Role("prod-viewer", "prod") with { Recording = RecordingMode.BestEffort, RecordInput = InputRecording.Redacted }, "test");
        var users = gw.Get<UserService>();
        await users.CreateAsync("dana", "dana-password-1", false, ["dev"], false, "test");
        await users.CreateAsync("pete", "pete-password-1", false, ["prod", "prod-viewer", "dev"], false, "test");
        await users.CreateAsync("root2", "root2-password-1", true, ["prod-viewer"], false, "test");
        await users.CreateAsync("root3", "root3-password-1", true, ["prod"], false, "test");
        var store = gw.Get<IOrielStore>();
        var access = gw.Get<IAccessService>();
        async Task<System.Security.Claims.ClaimsPrincipal> As(string name, string? scope = null) => OrielClaims.Create((await store.FindUserByNameAsync(name))!, "sid", scope);

        var dana = await access.AuthorizeSessionAsync(await As("dana"), "dev-1", CancellationToken.None);
        Assert.Equal((RecordingMode.Off, InputRecording.Off), (dana.Permissions.Recording, dana.Permissions.RecordInput));
        var peteProd = await access.AuthorizeSessionAsync(await As("pete"), "prod-1", CancellationToken.None);
        Assert.Equal((RecordingMode.Required, InputRecording.Full), (peteProd.Permissions.Recording, peteProd.Permissions.RecordInput));
        var peteDev = await access.AuthorizeSessionAsync(await As("pete"), "dev-1", CancellationToken.None);
        Assert.Equal((RecordingMode.Off, InputRecording.Off), (peteDev.Permissions.Recording, peteDev.Permissions.RecordInput));

        // Administrators: best effort unless a role of theirs granting the target requires recording.
        var rootProd = await access.AuthorizeSessionAsync(await As("root2"), "prod-1", CancellationToken.None);
        Assert.Equal(SessionPermissions.Full, rootProd.Permissions);
        Assert.Equal(RecordingMode.BestEffort, rootProd.Permissions.Recording);
        var rootDev = await access.AuthorizeSessionAsync(await As("root3"), "dev-1", CancellationToken.None);
        Assert.Equal(RecordingMode.BestEffort, rootDev.Permissions.Recording);
        var strictRoot = await access.AuthorizeSessionAsync(await As("root3"), "prod-1", CancellationToken.None);
        Assert.Equal((RecordingMode.Required, InputRecording.Full), (strictRoot.Permissions.Recording, strictRoot.Permissions.RecordInput));
        Assert.True(strictRoot.Permissions.ClipboardRead && strictRoot.Permissions.ClipboardWrite && strictRoot.Permissions.MaxSessions is null);

        Assert.Equal(RecordingsAccess.Own, await access.GetRecordingsAccessAsync(await As("dana"), CancellationToken.None));
        Assert.Equal(RecordingsAccess.Own, await access.GetRecordingsAccessAsync(await As("pete"), CancellationToken.None));
        Assert.Equal(RecordingsAccess.All, await access.GetRecordingsAccessAsync(await As("root2"), CancellationToken.None));
        Assert.Equal(RecordingsAccess.None, await access.GetRecordingsAccessAsync(await As("dana", scope: "dev-1"), CancellationToken.None));
        Assert.Equal(RecordingsAccess.None, await access.GetRecordingsAccessAsync(new System.Security.Claims.ClaimsPrincipal(), CancellationToken.None));
        Assert.False(await access.MayWatchLiveAsync(await As("dana"), CancellationToken.None));
        Assert.True(await access.MayWatchLiveAsync(await As("pete"), CancellationToken.None));
        Assert.True(await access.MayWatchLiveAsync(await As("root2"), CancellationToken.None));
        Assert.False(await access.MayWatchLiveAsync(await As("pete", scope: "prod-1"), CancellationToken.None));

        await users.CreateAsync("newbie", "newbie-password-1", false, ["prod"], mustChangePassword: true, "test");
        Assert.Equal(RecordingsAccess.None, await access.GetRecordingsAccessAsync(await As("newbie"), CancellationToken.None));
        Assert.False(await access.MayWatchLiveAsync(await As("newbie"), CancellationToken.None));

        // The user's target list says how their sessions are recorded.
        using var client = gw.NewClient();
        (await client.SignInAsync("pete", "pete-password-1")).EnsureSuccessStatusCode();
        var list = await client.GetJsonAsync("/api/targets");
        var prod = list.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "prod-1").GetProperty("permissions");
        Assert.Equal("required", prod.GetProperty("recording").GetString());
        Assert.Equal("full", prod.GetProperty("recordInput").GetString());
    }

    [Fact]
    public async Task AdminRolesApi_ShowsTheSettingsByName()
    {
        await using var gw = await TestGateway.StartAsync(dataDir: _dir);
        using var admin = await gw.AdminClientAsync();
        await gw.Get<RoleService>().SaveAsync(Role("auditors", "prod") with { Recording = RecordingMode.Required, RecordInput = InputRecording.Off, Recordings = RecordingsAccess.All, WatchLive = true }, "test");
        await gw.Get<RoleService>().SaveAsync(Role("devs", "dev"), "test");

        var roles = (await admin.GetJsonAsync("/api/admin/roles")).EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        var auditors = roles["auditors"];
        Assert.Equal("required", auditors.GetProperty("recording").GetString());
        Assert.Equal("off", auditors.GetProperty("recordInput").GetString());
        Assert.Equal("all", auditors.GetProperty("recordings").GetString());
        Assert.True(auditors.GetProperty("watchLive").GetBoolean());
        Assert.Equal("prod", auditors.GetProperty("targetLabels")[0].GetProperty("env").GetString());
        var devs = roles["devs"];
        Assert.Equal(("best-effort", "redacted", "none", false),
            (devs.GetProperty("recording").GetString(), devs.GetProperty("recordInput").GetString(), devs.GetProperty("recordings").GetString(), devs.GetProperty("watchLive").GetBoolean()));

        using var anonymous = gw.NewClient();
        using var denied = await anonymous.Http.GetAsync("/api/admin/roles");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }
}
