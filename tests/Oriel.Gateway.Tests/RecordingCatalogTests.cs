using Dapper;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The recordings catalog in SQLite (round trip, filters, paging, abandoning unfinished rows), the roles' recording
/// settings in the store, and migration 0008 on a database a gateway at 0007 left.
/// </summary>
public sealed class RecordingCatalogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _dir = TestGateway.NewDataDir();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>The newest migration: 0008 (this catalog) or any later one.</summary>
    private static int LatestMigration => SqliteOrielStore.LoadMigrations().Max(m => m.Version);

    private async Task<SqliteOrielStore> NewStoreAsync()
    {
        var store = new SqliteOrielStore(Path.Combine(_dir, "oriel.db"));
        Assert.Equal(LatestMigration, await store.MigrateAsync(T0));
        return store;
    }

    private static RecordingRecord Row(string id, string user, string target, string protocol, DateTimeOffset started, string kind = "tdp") =>
        new(id, "uid-" + user, user, target, "Target " + target, protocol, kind, started, null, 0, 0, RecordingStatus.Recording, null);

    [Fact]
    public async Task Recording_RoundTrips_AndUpdates()
    {
        var store = await NewStoreAsync();
        var row = Row("a1b2", "alice", "desk", "vnc", T0, "rfb-passthrough");
        await store.InsertRecordingAsync(row, CancellationToken.None);
        Assert.Equal(row, await store.GetRecordingAsync("a1b2", CancellationToken.None));
        await Assert.ThrowsAsync<StoreConflictException>(() => store.InsertRecordingAsync(row, CancellationToken.None));

        var ended = row with { Ended = T0.AddMinutes(3), DurationMs = 180_000, SizeBytes = 123_456, Status = RecordingStatus.Incomplete, Problem = "disk full" };
        await store.UpdateRecordingAsync(ended, CancellationToken.None);
        Assert.Equal(ended, await store.GetRecordingAsync("a1b2", CancellationToken.None));

        var complete = ended with { Status = RecordingStatus.Complete, Problem = null };
        await store.UpdateRecordingAsync(complete, CancellationToken.None);
        Assert.Equal(complete, await store.GetRecordingAsync("a1b2", CancellationToken.None));

        Assert.Null(await store.GetRecordingAsync("nope", CancellationToken.None));
        Assert.True(await store.DeleteRecordingAsync("a1b2", CancellationToken.None));
        Assert.False(await store.DeleteRecordingAsync("a1b2", CancellationToken.None));
        Assert.Null(await store.GetRecordingAsync("a1b2", CancellationToken.None));
    }

    [Fact]
    public async Task List_IsNewestFirst_Filters_AndPagesWithStartedBefore()
    {
        var store = await NewStoreAsync();
        await store.InsertRecordingAsync(Row("r1", "alice", "desk", "vnc", T0), CancellationToken.None);
        await store.InsertRecordingAsync(Row("r2", "bob", "desk", "vnc", T0.AddMinutes(1)), CancellationToken.None);
        await store.InsertRecordingAsync(Row("r3", "alice", "lab", "vnc", T0.AddMinutes(2)), CancellationToken.None);
        await store.InsertRecordingAsync(Row("r4", "alice", "shell", "ssh", T0.AddMinutes(3)), CancellationToken.None);

        async Task<string> Ids(RecordingQuery q) => string.Join(",", (await store.ListRecordingsAsync(q, CancellationToken.None)).Select(r => r.Id));

        Assert.Equal("r4,r3,r2,r1", await Ids(new RecordingQuery()));
        Assert.Equal("r4,r3,r1", await Ids(new RecordingQuery(UserId: "uid-alice")));
        Assert.Equal("r2,r1", await Ids(new RecordingQuery(TargetId: "desk")));
        Assert.Equal("r4", await Ids(new RecordingQuery(Protocol: "ssh")));
        Assert.Equal("r3,r2", await Ids(new RecordingQuery(From: T0.AddMinutes(1), To: T0.AddMinutes(3))));
        Assert.Equal("r4,r3", await Ids(new RecordingQuery(Limit: 2)));
        Assert.Equal("r2,r1", await Ids(new RecordingQuery(Limit: 2, StartedBefore: T0.AddMinutes(2))));
        Assert.Equal("r1", await Ids(new RecordingQuery(UserId: "uid-alice", TargetId: "desk", Protocol: "vnc")));
        Assert.Equal("r4", await Ids(new RecordingQuery(Limit: 0))); // clamped to at least one
    }

    [Fact]
    public async Task AbandonRecordings_MarksOnlyRowsStillRecording()
    {
        var store = await NewStoreAsync();
        await store.InsertRecordingAsync(Row("live", "alice", "desk", "vnc", T0), CancellationToken.None);
        var done = Row("done", "alice", "desk", "vnc", T0) with { Status = RecordingStatus.Complete, Ended = T0.AddSeconds(5), DurationMs = 5000, SizeBytes = 10 };
        await store.InsertRecordingAsync(done, CancellationToken.None);

        Assert.Equal(1, await store.AbandonRecordingsAsync("the gateway stopped", CancellationToken.None));
        var live = (await store.GetRecordingAsync("live", CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Incomplete, "the gateway stopped"), (live.Status, live.Problem));
        Assert.Equal(done, await store.GetRecordingAsync("done", CancellationToken.None));
        Assert.Equal(0, await store.AbandonRecordingsAsync("the gateway stopped", CancellationToken.None));
    }

    [Fact]
    public async Task GatewayStart_MarksRowsLeftRecording_Incomplete_ButACliCommandDoesNot()
    {
        await using (var gw = await TestGateway.StartAsync(dataDir: _dir))
        {
            await gw.Get<IOrielStore>().InsertRecordingAsync(Row("cut0ff", "alice", "desk", "vnc", T0), CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        using (var output = new StringWriter())
        {
            var cli = new Cli.OrielCli(output, new StringWriter(), new StringReader("")) { ConfigureOptions = TestGateway.Configure };
            Assert.Equal(0, await cli.InvokeAsync(["roles", "list", "--data", _dir])); // a command beside a running gateway
        }

        var store = new SqliteOrielStore(Path.Combine(_dir, "oriel.db"));
        Assert.Equal(RecordingStatus.Recording, (await store.GetRecordingAsync("cut0ff", CancellationToken.None))!.Status);

        await using (var again = await TestGateway.StartAsync(dataDir: _dir))
        {
            var row = (await again.Get<IOrielStore>().GetRecordingAsync("cut0ff", CancellationToken.None))!;
            Assert.Equal((RecordingStatus.Incomplete, "the gateway stopped"), (row.Status, row.Problem));
        }
    }

    [Fact]
    public async Task RoleRecordingSettings_RoundTrip_WithDefaultsForUnsetOnes()
    {
        var store = await NewStoreAsync();
        var strict = new RoleRecord("auditors", "", ["*"], [], false, false, true, null, false)
        {
            Recording = RecordingMode.Required,
            RecordInput = InputRecording.Full,
            Recordings = RecordingsAccess.All,
            WatchLive = true,
        };
        await store.UpsertRoleAsync(strict, T0);
        var back = (await store.FindRoleAsync("auditors"))!;
        Assert.Equal((RecordingMode.Required, InputRecording.Full, RecordingsAccess.All, true), (back.Recording, back.RecordInput, back.Recordings, back.WatchLive));

        await store.UpsertRoleAsync(strict with { Recording = RecordingMode.Off, RecordInput = InputRecording.Off, Recordings = RecordingsAccess.Own, WatchLive = false }, T0);
        back = (await store.FindRoleAsync("auditors"))!;
        Assert.Equal((RecordingMode.Off, InputRecording.Off, RecordingsAccess.Own, false), (back.Recording, back.RecordInput, back.Recordings, back.WatchLive));

        await store.UpsertRoleAsync(new RoleRecord("plain", "", [], [], false, false, true, null, false), T0);
        var plain = (await store.FindRoleAsync("plain"))!;
        Assert.Equal((RecordingMode.BestEffort, InputRecording.Redacted, RecordingsAccess.None, false), (plain.Recording, plain.RecordInput, plain.Recordings, plain.WatchLive));

        await using var c = new SqliteConnection($"Data Source={store.DatabasePath}");
        await c.OpenAsync();
        Assert.Equal(("off", "off", "own", 0L),
            await c.QuerySingleAsync<(string, string, string, long)>("SELECT recording, record_input, recordings_access, watch_live FROM roles WHERE name = 'auditors';"));
    }

    [Fact]
    public async Task MalformedStoredRoleSetting_IsAClearError_NamingTheRole()
    {
        var store = await NewStoreAsync();
        await store.UpsertRoleAsync(new RoleRecord("ops", "", [], [], false, false, true, null, false), T0);
        await using (var c = new SqliteConnection($"Data Source={store.DatabasePath}"))
        {
            await c.OpenAsync();
            await c.ExecuteAsync("UPDATE roles SET recording = 'sometimes' WHERE name = 'ops';");
        }

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => store.FindRoleAsync("ops"));
        Assert.Contains("role 'ops'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknown recording mode 'sometimes'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migration0008_GivesExistingRolesTheDefaults_AndAnEmptyCatalog()
    {
        Directory.CreateDirectory(_dir);
        var dbPath = Path.Combine(_dir, "oriel.db");
        await using (var c = new SqliteConnection($"Data Source={dbPath}"))
        {
            await c.OpenAsync();
            await c.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);");
            foreach (var (version, name, sql) in SqliteOrielStore.LoadMigrations().Where(m => m.Version <= 7))
            {
                await c.ExecuteAsync(sql);
                await c.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, 0);", new { version, name });
            }

            await c.ExecuteAsync(
                "INSERT INTO roles (name, description, target_ids, target_labels, clipboard_read, clipboard_write, resize, max_sessions, declared, create_links, " +
                "created_at, updated_at) VALUES ('ops', 'operators', '[\"desk\"]', '[{\"env\":\"prod\"}]', 1, 0, 1, 2, 1, 1, 0, 0);");
        }

        var store = new SqliteOrielStore(dbPath);
        Assert.Equal(7, await store.GetSchemaVersionAsync());
        Assert.Equal(LatestMigration, await store.MigrateAsync(T0));

        var ops = (await store.FindRoleAsync("ops"))!;
        Assert.Equal(("operators", true, false, true, 2, true, true), (ops.Description, ops.ClipboardRead, ops.ClipboardWrite, ops.Resize, ops.MaxSessions, ops.Declared, ops.CreateLinks));
        Assert.Equal(["desk"], ops.TargetIds);
        Assert.Equal((RecordingMode.BestEffort, InputRecording.Redacted, RecordingsAccess.None, false), (ops.Recording, ops.RecordInput, ops.Recordings, ops.WatchLive));
        Assert.Empty(await store.ListRecordingsAsync(new RecordingQuery(), CancellationToken.None));

        var row = Row("c0ffee", "alice", "desk", "vnc", T0);
        await store.InsertRecordingAsync(row, CancellationToken.None);
        Assert.Equal(row, await store.GetRecordingAsync("c0ffee", CancellationToken.None));
        Assert.Equal(LatestMigration, await store.MigrateAsync(T0)); // idempotent
    }
}
