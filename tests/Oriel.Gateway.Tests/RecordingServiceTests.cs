using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Recording;

namespace Oriel.Gateway.Tests;

/// <summary>
/// <see cref="RecordingService"/> with a passthrough recorder: the catalog row from start to end, the modes (off: nothing;
/// best effort: a failed write is audited and the session goes on; required: a recording that cannot be opened refuses
/// the session, one that cannot be written ends it), and a file that stays readable up to its last complete record.
/// </summary>
public sealed class RecordingServiceTests : IDisposable
{
    private readonly string _dir = TestGateway.NewDataDir();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    internal sealed record Fixture(RecordingService Service, IOrielStore Store, IAuditLog Audit, RecordingPaths Paths);

    internal static async Task<Fixture> NewAsync(string dir, TimeProvider time)
    {
        Directory.CreateDirectory(dir);
        var store = new SqliteOrielStore(Path.Combine(dir, "oriel.db"));
        await store.MigrateAsync(time.GetUtcNow());
        var audit = new AuditLog(store, time);
        var options = new GatewayOptions { DataDirectory = dir };
        var paths = new RecordingPaths(options);
        return new(new RecordingService(store, audit, paths, options, time, NullLogger<RecordingService>.Instance), store, audit, paths);
    }

    internal static LiveSession Live(TimeProvider time, string id = "5e551011") => new(id, "uid-1", "alice", "desk", "vnc", "passthrough", "192.0.2.77", time.GetUtcNow());

    internal static ResolvedTarget Desk() => new() { Id = "desk", Name = "Desk", Settings = VncTargetSettings.Default, Host = "192.0.2.10", Port = 5901 };

    internal static SessionPermissions Mode(RecordingMode mode, InputRecording input = InputRecording.Redacted) =>
        new SessionPermissions(true, true, true, null) { Recording = mode, RecordInput = input };

    [Fact]
    public async Task BestEffort_InsertsARecordingRow_AndCompletesIt_WithTheFile()
    {
        var f = await NewAsync(_dir, _time);
        var live = Live(_time);
        using var recorder = (await f.Service.StartPassthroughAsync(live, Desk(), Mode(RecordingMode.BestEffort), CancellationToken.None))!;
        var row = (await f.Store.GetRecordingAsync(live.Id, CancellationToken.None))!;
        Assert.Equal(new RecordingRecord(live.Id, "uid-1", "alice", "desk", "Desk", "vnc", "rfb-passthrough", _time.GetUtcNow(), null, 0, 0, RecordingStatus.Recording, null), row);
        Assert.Equal(f.Paths.StreamRecording(live.Id), recorder.Path);

        recorder.SessionStarted();
        recorder.ServerData("RFB 003.008\n"u8);
        _time.Advance(TimeSpan.FromSeconds(2));
        recorder.ClientData("RFB 003.008\n"u8);
        _time.Advance(TimeSpan.FromSeconds(1));
        await f.Service.CompleteAsync(recorder.File, Sessions.SessionEndReason.UserDisconnected, "The browser left the session.");

        var done = (await f.Store.GetRecordingAsync(live.Id, CancellationToken.None))!;
        var bytes = await File.ReadAllBytesAsync(recorder.Path);
        Assert.Equal((RecordingStatus.Complete, (string?)null, 3000L, (long)bytes.Length), (done.Status, done.Problem, done.DurationMs, done.SizeBytes));
        Assert.Equal(_time.GetUtcNow(), done.Ended);
        var read = StreamRecordingReader.ReadAll(bytes);
        Assert.True(read.IsComplete);
        Assert.Equal("rfb-passthrough", read.Header!.Kind);
        Assert.Contains("\"recordingRequired\":false", read.Header.Metadata, StringComparison.Ordinal);
        Assert.Equal([StreamRecordKind.SessionStart, StreamRecordKind.ServerData, StreamRecordKind.ClientData, StreamRecordKind.SessionEnd, StreamRecordKind.End], read.Records.Select(r => r.Kind));
        Assert.Equal(2_000_000, read.Records[2].TimeMicroseconds);
        Assert.Empty(await f.Audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RecordingFailed }));
    }

    [Fact]
    public async Task AQuietSessionsLastBatch_ReachesTheFileWithinAFlushInterval()
    {
        var f = await NewAsync(_dir, _time);
        using var recorder = (await f.Service.StartPassthroughAsync(Live(_time), Desk(), Mode(RecordingMode.BestEffort), CancellationToken.None))!;
        recorder.ServerData(new byte[50]);
        var before = recorder.File.FileLength;
        _time.Advance(RecordingFile.FlushInterval / 2);
        Assert.Equal(before, recorder.File.FileLength); // still batching
        _time.Advance(RecordingFile.FlushInterval / 2);
        Assert.True(recorder.File.FileLength > before);
        var read = StreamRecordingReader.ReadAll(await File.ReadAllBytesAsync(recorder.Path), StreamRecordingReadMode.Tolerant); // as after a crash now
        Assert.Equal([StreamRecordKind.ServerData], read.Records.Select(r => r.Kind));
    }

    [Fact]
    public async Task Off_RecordsNothing()
    {
        var f = await NewAsync(_dir, _time);
        var live = Live(_time);
        Assert.Null(await f.Service.StartPassthroughAsync(live, Desk(), Mode(RecordingMode.Off), CancellationToken.None));
        Assert.False(File.Exists(f.Paths.StreamRecording(live.Id)));
        Assert.Null(await f.Store.GetRecordingAsync(live.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Required_DiskFull_EndsTheSession_WithItsMessage_AndTheFileReadsToItsLastCompleteRecord()
    {
        var f = await NewAsync(_dir, _time);
        var disk = new FullDiskStream(capacity: 100_000);
        f.Service.OpenStream = _ => disk;
        var live = Live(_time);
        using var recorder = (await f.Service.StartPassthroughAsync(live, Desk(), Mode(RecordingMode.Required), CancellationToken.None))!;
        recorder.SessionStarted();
        recorder.ServerData(new byte[100]);
        _time.Advance(RecordingFile.FlushInterval); // the quiet batch is flushed: it fits
        var fitted = disk.Length;
        recorder.ServerData(new byte[100]);
        disk.Capacity = fitted + 200; // the disk is nearly full now
        recorder.ServerData(new byte[300]); // buffered
        _time.Advance(RecordingFile.FlushInterval); // the flush fails
        var failure = Assert.Throws<SessionFailure>(() => recorder.ServerData(new byte[300]));
        Assert.Equal(Sessions.SessionEndReason.RecordingFailed, failure.Reason);
        Assert.Equal("The session was ended: the recording could not be written (disk full); this target requires recording.", failure.UserMessage);
        // Nothing goes on unrecorded: every later record ends the session the same way.
        Assert.Throws<SessionFailure>(() => recorder.ClientData(new byte[1]));
        Assert.Equal(1, disk.Failures);

        await f.Service.CompleteAsync(recorder.File, failure.Reason, failure.UserMessage);
        var row = (await f.Store.GetRecordingAsync(live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Incomplete, "disk full", fitted), (row.Status, row.Problem, row.SizeBytes));
        Assert.Equal(fitted, disk.Length); // cut back to the last batch written whole
        var read = StreamRecordingReader.ReadAll(disk.Bytes, StreamRecordingReadMode.Tolerant);
        Assert.Null(read.Error);
        Assert.Equal([StreamRecordKind.SessionStart, StreamRecordKind.ServerData], read.Records.Select(r => r.Kind));
        var audited = (await f.Audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RecordingFailed })).Single();
        Assert.Equal(("alice", "desk", live.Id), (audited.Actor, audited.Target, audited.SessionId));
        Assert.Equal("disk full", audited.Details!["problem"]!.GetValue<string>());
        Assert.Equal("session ended", audited.Details["consequence"]!.GetValue<string>());
    }

    [Fact]
    public async Task BestEffort_DiskFull_MarksTheRecordingIncomplete_AuditsIt_AndTheSessionGoesOn()
    {
        var f = await NewAsync(_dir, _time);
        var disk = new FullDiskStream(capacity: 400);
        f.Service.OpenStream = _ => disk;
        var live = Live(_time);
        using var recorder = (await f.Service.StartPassthroughAsync(live, Desk(), Mode(RecordingMode.BestEffort), CancellationToken.None))!;
        recorder.SessionStarted();
        var fitted = disk.Length;
        recorder.ServerData(new byte[RecordingFile.FlushBytes]); // a big batch: flushed at once, does not fit
        recorder.ServerData(new byte[10]);
        recorder.ClientData(new byte[10]);
        Assert.Equal("disk full", recorder.File.Problem);
        Assert.Equal(1, disk.Failures);

        await f.Service.CompleteAsync(recorder.File, Sessions.SessionEndReason.UserDisconnected, "The browser left the session.");
        var row = (await f.Store.GetRecordingAsync(live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Incomplete, "disk full", fitted), (row.Status, row.Problem, row.SizeBytes));
        var read = StreamRecordingReader.ReadAll(disk.Bytes, StreamRecordingReadMode.Tolerant);
        Assert.Equal([StreamRecordKind.SessionStart], read.Records.Select(r => r.Kind));
        var audited = (await f.Audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RecordingFailed })).Single();
        Assert.Equal(("best-effort", "session continued unrecorded", "writing"),
            (audited.Details!["mode"]!.GetValue<string>(), audited.Details["consequence"]!.GetValue<string>(), audited.Details["when"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(RecordingMode.Required)]
    [InlineData(RecordingMode.BestEffort)]
    public async Task ARecordingThatCannotBeOpened_RefusesARequiredSession_AndIsAuditedEitherWay(RecordingMode mode)
    {
        var f = await NewAsync(_dir, _time);
        f.Service.OpenStream = _ => new FullDiskStream(capacity: 10); // the header does not fit
        var live = Live(_time);
        if (mode == RecordingMode.Required)
        {
            var refused = await Assert.ThrowsAsync<SessionFailure>(() => f.Service.StartPassthroughAsync(live, Desk(), Mode(mode), CancellationToken.None));
            Assert.Equal(Sessions.SessionEndReason.RecordingFailed, refused.Reason);
            Assert.Equal("The session was not started: the recording could not be opened (disk full); this target requires recording.", refused.UserMessage);
        }
        else
        {
            Assert.Null(await f.Service.StartPassthroughAsync(live, Desk(), Mode(mode), CancellationToken.None));
        }

        Assert.Null(await f.Store.GetRecordingAsync(live.Id, CancellationToken.None));
        var audited = (await f.Audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RecordingFailed })).Single();
        Assert.Equal(("opening", mode == RecordingMode.Required ? "session refused" : "session continued unrecorded"),
            (audited.Details!["when"]!.GetValue<string>(), audited.Details["consequence"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AtStart_RowsLeftRecording_BecomeIncomplete_TheGatewayStopped()
    {
        var f = await NewAsync(_dir, _time);
        var live = Live(_time);
        var recorder = (await f.Service.StartPassthroughAsync(live, Desk(), Mode(RecordingMode.BestEffort), CancellationToken.None))!;
        recorder.ServerData(new byte[10]);
        recorder.Dispose(); // the gateway stopped without ending the session

        Assert.Equal(1, await f.Service.AbandonUnfinishedAsync(CancellationToken.None));
        var row = (await f.Store.GetRecordingAsync(live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Incomplete, RecordingService.GatewayStopped), (row.Status, row.Problem));
        var read = StreamRecordingReader.ReadAll(await File.ReadAllBytesAsync(recorder.Path), StreamRecordingReadMode.Tolerant);
        Assert.False(read.IsComplete);
        Assert.Equal([StreamRecordKind.ServerData], read.Records.Select(r => r.Kind));
    }
}
