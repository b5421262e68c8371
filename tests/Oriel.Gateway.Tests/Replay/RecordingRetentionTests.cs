using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Tests.Replay;

/// <summary>
/// Retention on a real gateway whose clock is a <see cref="FakeTimeProvider"/>: the maintenance job, on its
/// schedule, deletes recordings that started before the configured age (file, transcoded file, catalog row), each
/// audited <c>recording.expired</c>, and never one still being written; the oriel.json setting and its checks.
/// </summary>
public sealed class RecordingRetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static RecordingRecord Row(string id, DateTimeOffset started, RecordingStatus status, string kind = "rfb-passthrough") =>
        new(id, "uid-dana", "dana", "desk", "Desk", "vnc", kind, started, status == RecordingStatus.Recording ? null : started.AddMinutes(5),
            300_000, 3, status, status == RecordingStatus.Incomplete ? "the gateway stopped" : null);

    private static async Task AddAsync(TestGateway gw, RecordingRecord r, bool transcoded = false)
    {
        var paths = gw.Get<RecordingPaths>();
        paths.EnsureDirectory();
        await File.WriteAllBytesAsync(paths.StreamRecording(r.Id), [1, 2, 3]);
        if (transcoded) await File.WriteAllBytesAsync(paths.TdpReplay(r.Id), [4, 5, 6]);
        await gw.Get<IOrielStore>().InsertRecordingAsync(r, CancellationToken.None);
    }

    private static async Task<IReadOnlyList<AuditEvent>> ExpiredAsync(TestGateway gw) =>
        await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = RecordingRetention.ExpiredAuditKind, Limit = 1000 });

    [Fact]
    public async Task TheScheduledJobDeletesExpiredRecordingsButNeverOneStillBeingWritten()
    {
        var clock = new FakeTimeProvider(T0);
        await using var gw = await TestGateway.StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.RecordingRetention = TimeSpan.FromDays(30);
        });
        var paths = gw.Get<RecordingPaths>();
        var store = gw.Get<IOrielStore>();
        await AddAsync(gw, Row("a01", T0.AddDays(-40), RecordingStatus.Complete), transcoded: true);
        await AddAsync(gw, Row("a02", T0.AddDays(-31), RecordingStatus.Incomplete, kind: "tdp"));
        await AddAsync(gw, Row("a03", T0.AddDays(-60), RecordingStatus.Recording)); // still being written
        await AddAsync(gw, Row("a04", T0.AddDays(-29), RecordingStatus.Complete), transcoded: true);
        for (var i = 0; i < 230; i++) // more than a page of the catalog
        {
            await AddAsync(gw, Row($"b{i:x3}", T0.AddDays(-35).AddMinutes(-i), RecordingStatus.Complete));
        }

        Assert.Empty(await ExpiredAsync(gw)); // nothing before the job runs
        clock.Advance(MaintenanceService.Interval);
        var expired = await WaitForAsync(gw, 232);

        Assert.Null(await store.GetRecordingAsync("a01", CancellationToken.None));
        Assert.False(File.Exists(paths.StreamRecording("a01")));
        Assert.False(File.Exists(paths.TdpReplay("a01")));
        Assert.Null(await store.GetRecordingAsync("a02", CancellationToken.None));
        Assert.False(File.Exists(paths.StreamRecording("a02")));
        Assert.Equal(RecordingStatus.Recording, (await store.GetRecordingAsync("a03", CancellationToken.None))!.Status);
        Assert.True(File.Exists(paths.StreamRecording("a03")));
        Assert.NotNull(await store.GetRecordingAsync("a04", CancellationToken.None));
        Assert.True(File.Exists(paths.StreamRecording("a04")) && File.Exists(paths.TdpReplay("a04")));
        var left = await store.ListRecordingsAsync(new RecordingQuery(Limit: 1000, StartedBefore: T0.AddDays(-30)), CancellationToken.None);
        Assert.Equal(["a03"], left.Select(r => r.Id)); // every other old one went, past the first page too

        var a01 = Assert.Single(expired, e => e.SessionId == "a01");
        Assert.Equal((RecordingRetention.Actor, "desk"), (a01.Actor, a01.Target));
        Assert.Equal("dana", a01.Details!["user"]!.GetValue<string>());
        Assert.Equal("Complete", a01.Details!["status"]!.GetValue<string>());
        Assert.Equal(30, a01.Details!["retentionDays"]!.GetValue<double>());
        Assert.DoesNotContain(expired, e => e.SessionId is "a03" or "a04");
        Assert.Equal(expired.Count, expired.Select(e => e.SessionId).Distinct().Count());

        // A day later the 29-day-old one has expired too; the one being written still stays.
        clock.Advance(TimeSpan.FromDays(1));
        clock.Advance(MaintenanceService.Interval);
        expired = await WaitForAsync(gw, 233);
        Assert.Contains(expired, e => e.SessionId == "a04");
        Assert.False(File.Exists(paths.TdpReplay("a04")));
        Assert.NotNull(await store.GetRecordingAsync("a03", CancellationToken.None));
    }

    [Fact]
    public async Task WithoutASettingNothingIsDeleted()
    {
        var clock = new FakeTimeProvider(T0);
        await using var gw = await TestGateway.StartAsync(o => o.TimeProvider = clock);
        Assert.Null(gw.Get<GatewayOptions>().RecordingRetention);
        await AddAsync(gw, Row("c01", T0.AddYears(-5), RecordingStatus.Complete));
        Assert.Equal(0, await gw.Get<RecordingRetention>().RunAsync(CancellationToken.None));
        clock.Advance(MaintenanceService.Interval);
        Assert.Equal(0, await gw.Get<RecordingRetention>().RunAsync(CancellationToken.None));
        Assert.NotNull(await gw.Get<IOrielStore>().GetRecordingAsync("c01", CancellationToken.None));
        Assert.True(File.Exists(gw.Get<RecordingPaths>().StreamRecording("c01")));
        Assert.Empty(await ExpiredAsync(gw));
    }

    [Fact]
    public async Task TheConfigurationFileSetsRetentionInDaysAndRefusesNonsense()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        try
        {
            var config = Path.Combine(dir, "oriel.json");
            await File.WriteAllTextAsync(config, """{ "recordings": { "retentionDays": 90 } }""");
            await using (var gw = await TestGateway.StartAsync(dataDir: dir))
            {
                Assert.Equal(TimeSpan.FromDays(90), gw.Get<GatewayOptions>().RecordingRetention);
            }

            foreach (var bad in new[] { "0", "-3", "36501" })
            {
                await File.WriteAllTextAsync(config, $$"""{ "recordings": { "retentionDays": {{bad}} } }""");
                var e = await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(dataDir: dir));
                Assert.Contains("retentionDays", e.Message, StringComparison.Ordinal);
            }

            await File.WriteAllTextAsync(config, """{ "recordings": { "retentionDays": 1.5 } }""");
            await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(dataDir: dir)); // whole days

            await File.WriteAllTextAsync(config, """{ "recordings": { } }""");
            await using (var gw = await TestGateway.StartAsync(dataDir: dir))
            {
                Assert.Null(gw.Get<GatewayOptions>().RecordingRetention);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Waits (bounded) until the job has audited <paramref name="count"/> deletions.</summary>
    private static async Task<IReadOnlyList<AuditEvent>> WaitForAsync(TestGateway gw, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var expired = await ExpiredAsync(gw);
            if (expired.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, expired.Count);
                return expired;
            }
            await Task.Delay(50);
        }
    }
}
