using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Recording;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Starts and ends session recordings: the file (<see cref="RecordingPaths.StreamRecording"/>, or
/// <see cref="RecordingPaths.Asciicast"/> for a terminal), the catalog row
/// (inserted as Recording at the start, updated to Complete or Incomplete at the end) and the audit of failures,
/// as the session's <see cref="RecordingMode"/> says. Off: nothing. Best effort: a recording that cannot be opened
/// or written is audited (<c>recording.failed</c>) and the session goes on. Required: a session whose recording
/// cannot be opened is refused, one whose recording fails is ended (<see cref="SessionFailure"/> with
/// <see cref="Sessions.SessionEndReason.RecordingFailed"/>). At gateway start, rows left Recording by a stop or crash
/// become Incomplete (<see cref="AbandonUnfinishedAsync"/>).
/// </summary>
public sealed partial class RecordingService(
    IOrielStore store, IAuditLog audit, RecordingPaths paths, GatewayOptions options, TimeProvider time, ILogger<RecordingService> log)
{
    /// <summary>The problem of rows a stopped gateway left unfinished.</summary>
    public const string GatewayStopped = "the gateway stopped";

    /// <summary>Tests only: opens the stream a recording is written to instead of creating the file (a disk that fills up).</summary>
    internal Func<string, Stream>? OpenStream { get; set; }

    /// <summary>How often a rendered session's recording gets a keyframe while the screen changes.</summary>
    public TimeSpan KeyframeInterval => options.RecordingKeyframeInterval;

    /// <summary>
    /// Opens the recording of a passthrough session (raw RFB both ways). Null when the mode is Off or a best-effort
    /// recording could not be opened; throws <see cref="SessionFailure"/> when a required one could not.
    /// </summary>
    public async Task<PassthroughRecorder?> StartPassthroughAsync(LiveSession live, ResolvedTarget target, SessionPermissions permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(permissions);
        var file = await OpenStreamAsync(live, target, permissions.Recording, StreamRecordingHeader.RfbPassthroughKind, null, new JsonObject(), ct).ConfigureAwait(false);
        return file is null ? null : new PassthroughRecorder(file);
    }

    /// <summary>
    /// Opens the recording of a rendered session (TDP, with keyframes; input as <see cref="SessionPermissions.RecordInput"/>
    /// says). Null when the mode is Off or a best-effort recording could not be opened; throws <see cref="SessionFailure"/>
    /// when a required one could not.
    /// </summary>
    public async Task<TdpRecorder?> StartTdpAsync(LiveSession live, ResolvedTarget target, SessionPermissions permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(permissions);
        var metadata = new JsonObject { ["recordInput"] = RecordingSettingNames.ToText(permissions.RecordInput) };
        var file = await OpenStreamAsync(live, target, permissions.Recording, TdpRecorder.Kind, TdpRecorder.WriterOptions, metadata, ct).ConfigureAwait(false);
        return file is null ? null : new TdpRecorder(file, permissions.RecordInput, KeyframeInterval, time);
    }

    /// <summary>
    /// Opens the recording of a rendered terminal session: an asciicast v2 file (<see cref="RecordingPaths.Asciicast"/>,
    /// catalog kind <c>asciicast</c>), output, resizes and, where <see cref="SessionPermissions.RecordInput"/> is Full,
    /// typed input. Null when the mode is Off or a best-effort recording could not be opened; throws
    /// <see cref="SessionFailure"/> when a required one could not.
    /// </summary>
    public async Task<AsciicastRecorder?> StartAsciicastAsync(LiveSession live, ResolvedTarget target, SessionPermissions permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(permissions);
        var file = await OpenAsync(live, target, permissions.Recording, AsciicastRecorder.Kind, paths.Asciicast(live.Id),
            (sink, row) => new RecordingFile(this, sink, row, permissions.Recording, time), ct).ConfigureAwait(false);
        return file is null ? null : new AsciicastRecorder(file, permissions.RecordInput, AsciicastRecorder.Template(live, target, file.Row.Started));
    }

    /// <summary>Ends a recording: its last records, the catalog row, the audit of a failure. Never throws for the file.</summary>
    public async Task CompleteAsync(RecordingFile file, Sessions.SessionEndReason reason, string message)
    {
        ArgumentNullException.ThrowIfNull(file);
        var row = file.Finish(reason, message);
        try
        {
            await store.UpdateRecordingAsync(row, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            Log.CatalogFailed(log, row.Id, e);
        }
        await file.FailureAudit.ConfigureAwait(false);
        Log.Completed(log, row.Id, row.Status.ToString(), row.SizeBytes);
    }

    /// <summary>At gateway start: recordings still marked Recording were cut off by a stop or crash; marks them Incomplete.</summary>
    public async Task<int> AbandonUnfinishedAsync(CancellationToken ct)
    {
        var n = await store.AbandonRecordingsAsync(GatewayStopped, ct).ConfigureAwait(false);
        if (n > 0) Log.Abandoned(log, n);
        return n;
    }

    private Task<RecordingFile?> OpenStreamAsync(LiveSession live, ResolvedTarget target, RecordingMode mode, string kind, StreamRecordingWriterOptions? writerOptions,
        JsonObject metadata, CancellationToken ct)
    {
        metadata["clientIp"] = live.ClientIp;
        metadata["target"] = $"{target.Host}:{target.Port}";
        metadata["targetName"] = target.Name;
        metadata["protocol"] = target.Protocol;
        metadata["recordingRequired"] = mode == RecordingMode.Required;
        return OpenAsync(live, target, mode, kind, paths.StreamRecording(live.Id), (sink, row) => new RecordingFile(this, sink, new StreamRecordingHeader
        {
            Kind = kind,
            SessionId = live.Id,
            TargetId = live.TargetId,
            User = live.UserName,
            StartUnixMilliseconds = row.Started.ToUnixTimeMilliseconds(),
            Metadata = metadata.ToJsonString(),
        }, writerOptions, row, mode, time), ct);
    }

    /// <summary>
    /// Creates the file at <paramref name="path"/> (<paramref name="create"/> writes what it starts with) and inserts the
    /// catalog row, as the mode says: null when Off or when a best-effort recording could not be opened.
    /// </summary>
    private async Task<RecordingFile?> OpenAsync(LiveSession live, ResolvedTarget target, RecordingMode mode, string kind, string path,
        Func<RecordingFileSink, RecordingRecord, RecordingFile> create, CancellationToken ct)
    {
        if (mode == RecordingMode.Off)
        {
            return null;
        }
        var started = time.GetUtcNow();
        // The protocol of the session as the broker admitted it (the adapter's name), the target's otherwise.
        var protocol = string.IsNullOrEmpty(live.Protocol) ? target.Protocol : live.Protocol.ToLowerInvariant();
        var row = new RecordingRecord(live.Id, live.UserId, live.UserName, target.Id, target.Name, protocol, kind, started, null, 0, 0, RecordingStatus.Recording, null);
        RecordingFileSink? sink = null;
        RecordingFile? file = null;
        try
        {
            paths.EnsureDirectory();
            sink = OpenStream is { } open ? new RecordingFileSink(open(path), path) : new RecordingFileSink(path);
            file = create(sink, row);
        }
        catch (Exception e) when (RecordingFailure.IsStorageFailure(e))
        {
            if (sink is not null)
            {
                sink.Abandon();
                sink.Dispose();
                TryDelete(sink.Path); // not even the header: no file rather than an empty one
            }
            var problem = RecordingFailure.Describe(e);
            Log.OpenFailed(log, live.Id, problem, e);
            await audit.WriteAsync(FailureEvent(live.UserName, live.TargetId, live.Id, live.ClientIp, kind, mode, problem, opening: true), CancellationToken.None).ConfigureAwait(false);
            if (mode == RecordingMode.Required)
            {
                throw new SessionFailure(Sessions.SessionEndReason.RecordingFailed, RecordingFailure.SessionRefused(problem), e);
            }
            return null;
        }
        try
        {
            await store.InsertRecordingAsync(row, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or StoreConflictException)
        {
            Log.CatalogFailed(log, row.Id, e);
            if (mode == RecordingMode.Required)
            {
                file.Dispose();
                throw new SessionFailure(Sessions.SessionEndReason.RecordingFailed, RecordingFailure.SessionRefused("the recordings catalog could not be written"), e);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return file;
    }

    private void TryDelete(string path)
    {
        if (OpenStream is not null) return; // a test's stream, not a file
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (RecordingFailure.IsStorageFailure(e))
        {
            // Left behind, empty; the catalog has no row for it.
        }
    }

    /// <summary>Called under the file's lock when a write failed (logging only; see <see cref="AuditFailureAsync"/>).</summary>
    internal void WriteFailed(RecordingFile file, Exception e) => Log.WriteFailed(log, file.Row.Id, RecordingSettingNames.ToText(file.Mode), file.Problem ?? "", e);

    /// <summary>Audits a failed write (best effort: the session goes on unrecorded; required: the session ends).</summary>
    internal async Task AuditFailureAsync(RecordingFile file, string problem)
    {
        var row = file.Row;
        try
        {
            await audit.WriteAsync(FailureEvent(row.UserName, row.TargetId, row.Id, null, row.Kind, file.Mode, problem, opening: false), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            Log.CatalogFailed(log, row.Id, e);
        }
    }

    private static AuditEvent FailureEvent(string user, string targetId, string sessionId, string? clientIp, string kind, RecordingMode mode, string problem, bool opening) => new()
    {
        Kind = AuditKinds.RecordingFailed,
        Actor = user,
        Target = targetId,
        ClientIp = clientIp,
        SessionId = sessionId,
        Details = new JsonObject
        {
            ["problem"] = problem,
            ["mode"] = RecordingSettingNames.ToText(mode),
            ["kind"] = kind,
            ["when"] = opening ? "opening" : "writing",
            ["consequence"] = mode == RecordingMode.Required
                ? (opening ? "session refused" : "session ended")
                : "session continued unrecorded",
        },
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 3460, Level = LogLevel.Error, Message = "Recording {RecordingId} could not be opened: {Problem}")]
        public static partial void OpenFailed(ILogger logger, string recordingId, string problem, Exception exception);

        [LoggerMessage(EventId = 3461, Level = LogLevel.Error, Message = "Recording {RecordingId} ({Mode}) could not be written: {Problem}")]
        public static partial void WriteFailed(ILogger logger, string recordingId, string mode, string problem, Exception exception);

        [LoggerMessage(EventId = 3462, Level = LogLevel.Error, Message = "Recording {RecordingId}: the catalog or audit could not be written")]
        public static partial void CatalogFailed(ILogger logger, string recordingId, Exception exception);

        [LoggerMessage(EventId = 3463, Level = LogLevel.Information, Message = "Recording {RecordingId} ended: {Status}, {SizeBytes} bytes")]
        public static partial void Completed(ILogger logger, string recordingId, string status, long sizeBytes);

        [LoggerMessage(EventId = 3464, Level = LogLevel.Warning, Message = "{Count} recordings were left unfinished by the gateway's last stop; marked incomplete")]
        public static partial void Abandoned(ILogger logger, int count);
    }
}
