using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Tests;

public sealed class AuditTests
{
    [Fact]
    public async Task Chain_Verifies_ThenTamperingIsDetectedAtTheChangedRow()
    {
        await using var gw = await TestGateway.StartAsync();
        var audit = gw.Get<IAuditLog>();
        for (var i = 0; i < 5; i++)
        {
            await audit.WriteAsync(new AuditEvent
            {
                Kind = AuditKinds.SessionEnd,
                Actor = "dana",
                Target = "dev-1",
                SessionId = "rs_" + i,
                Details = new JsonObject { ["bytesIn"] = 1000 * i, ["reason"] = "closed" },
            });
        }

        var ok = await audit.VerifyChainAsync();
        Assert.True(ok.IsValid, ok.Problem);
        var total = ok.Count;
        Assert.True(total >= 6); // first-run admin events + ours

        var ended = await audit.QueryAsync(new AuditQuery { Kind = AuditKinds.SessionEnd, OldestFirst = true });
        Assert.Equal(5, ended.Count);
        Assert.Equal(3000, ended[3].Details!["bytesIn"]!.GetValue<long>());
        Assert.Equal(4, (await audit.QueryAsync(new AuditQuery { Kind = "session.", Limit = 4 })).Count);
        var victim = ended[2].Sequence;

        var db = ((SqliteOrielStore)gw.Get<IOrielStore>()).DatabasePath;
        await using (var c = new SqliteConnection($"Data Source={db}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE audit_events SET details = '{\"bytesIn\":0,\"reason\":\"closed\"}' WHERE seq = $s;";
            cmd.Parameters.AddWithValue("$s", victim);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        var broken = await audit.VerifyChainAsync();
        Assert.False(broken.IsValid);
        Assert.Equal(victim, broken.FirstBadSequence);
        Assert.Equal(victim - 1, broken.Count);
    }

    [Fact]
    public async Task DeletingARow_IsDetected()
    {
        await using var gw = await TestGateway.StartAsync();
        var audit = gw.Get<IAuditLog>();
        for (var i = 0; i < 4; i++)
        {
            await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.SessionStart, Actor = "x" });
        }

        var db = ((SqliteOrielStore)gw.Get<IOrielStore>()).DatabasePath;
        await using (var c = new SqliteConnection($"Data Source={db}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM audit_events WHERE seq = 3;";
            await cmd.ExecuteNonQueryAsync();
        }

        var broken = await audit.VerifyChainAsync();
        Assert.False(broken.IsValid);
        Assert.Equal(4, broken.FirstBadSequence);
    }

    [Fact]
    public void Hash_CoversEveryField()
    {
        var e = new AuditEvent { Time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), Kind = "k", Actor = "a", Target = "t", ClientIp = "i", SessionId = "s" };
        var baseline = AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e, "{}");
        Assert.Equal(32, baseline.Length);
        var variants = new[]
        {
            AuditChain.ComputeHash(AuditChain.Genesis, 2, 1_700_000_000_000, e, "{}"),
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_001, e, "{}"),
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e with { Kind = "K" }, "{}"),
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e with { Actor = null }, "{}"),
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e with { Actor = "" }, "{}"),
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e with { Target = "u" }, "{}"),
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e with { ClientIp = "j" }, "{}"),
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e with { SessionId = "z" }, "{}"),
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e, "{ }"),
            AuditChain.ComputeHash(new byte[32].Select(_ => (byte)1).ToArray(), 1, 1_700_000_000_000, e, "{}"),
            // Field boundaries are length-prefixed: moving a character between fields changes the hash.
            AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e with { Actor = "at", Target = "" }, "{}"),
        };
        Assert.All(variants, v => Assert.NotEqual(baseline, v));
        Assert.Equal(baseline, AuditChain.ComputeHash(AuditChain.Genesis, 1, 1_700_000_000_000, e, "{}"));
    }

    [Fact]
    public async Task Migrations_AreIdempotent()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        var store = new SqliteOrielStore(Path.Combine(dir, "oriel.db"));
        var versions = SqliteOrielStore.LoadMigrations().Select(m => m.Version).OrderBy(v => v).ToList();
        Assert.Equal(Enumerable.Range(1, versions.Count), versions); // numbered 1..N with no gap: a gap would be skipped
        var expected = versions[^1];
        Assert.Equal(0, await store.GetSchemaVersionAsync());
        Assert.Equal(expected, await store.MigrateAsync(DateTimeOffset.UnixEpoch));
        Assert.Equal(expected, await store.MigrateAsync(DateTimeOffset.UnixEpoch));
        Assert.Equal(expected, await store.GetSchemaVersionAsync());
        await using (var c = new SqliteConnection($"Data Source={store.DatabasePath}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM schema_version; PRAGMA journal_mode;";
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(SqliteOrielStore.LoadMigrations().Count, reader.GetInt64(0));
            Assert.True(await reader.NextResultAsync());
            Assert.True(await reader.ReadAsync());
            Assert.Equal("wal", reader.GetString(0));
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
