using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Deletes recordings that started longer ago than <see cref="GatewayOptions.RecordingRetention"/> (off when
/// unset): the recording file (<c>.orec</c> or a terminal's <c>.cast</c>), its transcoded TDP copy and its catalog row, each deletion audited
/// <see cref="ExpiredAuditKind"/>. A recording still being written (<see cref="RecordingStatus.Recording"/>) is
/// never deleted, however old its start. Run by <see cref="Hosting.MaintenanceService"/> on its schedule; a
/// recording whose file cannot be deleted is logged and tried again next time, the others go on.
/// </summary>
public sealed partial class RecordingRetention(IOrielStore store, RecordingPaths paths, PlayableRecordings playable, IAuditLog audit, GatewayOptions options, TimeProvider time, ILogger<RecordingRetention> log)
{
    /// <summary>Audit kind of one recording deleted by retention. Target: the target id; session: the recording's id.</summary>
    public const string ExpiredAuditKind = "recording.expired";

    /// <summary>Actor of the audit events.</summary>
    public const string Actor = "retention";

    /// <summary>Catalog rows read per query.</summary>
    private const int PageSize = 200;

    /// <summary>Deletes what has expired now; returns how many recordings were deleted (0 when retention is off).</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (options.RecordingRetention is not { } retention)
        {
            return 0;
        }
        var cutoff = time.GetUtcNow() - retention;
        var deleted = 0;
        var before = cutoff;
        while (true)
        {
            var page = await store.ListRecordingsAsync(new RecordingQuery(Limit: PageSize, StartedBefore: before), ct).ConfigureAwait(false);
            foreach (var r in page)
            {
                ct.ThrowIfCancellationRequested();
                if (r.Status == RecordingStatus.Recording || r.Started >= cutoff)
                {
                    continue;
                }
                if (await DeleteAsync(r, retention, ct).ConfigureAwait(false))
                {
                    deleted++;
                }
            }
            if (page.Count < PageSize)
            {
                break;
            }
            before = page[^1].Started; // newest first: the next page is older than this one's oldest
        }
        return deleted;
    }

    private async Task<bool> DeleteAsync(RecordingRecord r, TimeSpan retention, CancellationToken ct)
    {
        try
        {
            playable.DeleteTranscoded(r.Id);
            File.Delete(paths.StreamRecording(r.Id));
            File.Delete(paths.Asciicast(r.Id)); // a terminal session's recording (no error when there is none)
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Log.DeleteFailed(log, r.Id, e);
            return false;
        }
        if (!await store.DeleteRecordingAsync(r.Id, ct).ConfigureAwait(false))
        {
            return false; // deleted meanwhile (by an administrator or another gateway), audited there
        }
        await audit.WriteAsync(new AuditEvent
        {
            Kind = ExpiredAuditKind,
            Actor = Actor,
            Target = r.TargetId,
            SessionId = r.Id,
            Details = new JsonObject
            {
                ["recording"] = r.Id,
                ["user"] = r.UserName,
                ["kind"] = r.Kind,
                ["started"] = r.Started.ToString("O"),
                ["status"] = r.Status.ToString(),
                ["sizeBytes"] = r.SizeBytes,
                ["retentionDays"] = retention.TotalDays,
            },
        }, ct).ConfigureAwait(false);
        Log.Expired(log, r.Id, r.Started);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3873, Level = LogLevel.Information, Message = "Recording {RecordingId} (started {Started}) expired and was deleted")]
        public static partial void Expired(ILogger logger, string recordingId, DateTimeOffset started);

        [LoggerMessage(EventId = 3874, Level = LogLevel.Warning, Message = "Recording {RecordingId} expired but its files could not be deleted; will retry")]
        public static partial void DeleteFailed(ILogger logger, string recordingId, Exception exception);
    }
}
