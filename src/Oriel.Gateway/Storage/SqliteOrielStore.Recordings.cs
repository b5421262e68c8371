using System.Text;
using Dapper;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string RecordingColumns = "id AS Id, user_id AS UserId, user_name AS UserName, target_id AS TargetId, target_name AS TargetName, " +
        "protocol AS Protocol, kind AS Kind, started_at AS StartedAt, ended_at AS EndedAt, duration_ms AS DurationMs, size_bytes AS SizeBytes, " +
        "status AS Status, problem AS Problem";

    public async Task InsertRecordingAsync(RecordingRecord r, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await c.ExecuteAsync(
                "INSERT INTO recordings (id, user_id, user_name, target_id, target_name, protocol, kind, started_at, ended_at, duration_ms, size_bytes, status, problem) " +
                "VALUES (@Id, @UserId, @UserName, @TargetId, @TargetName, @Protocol, @Kind, @started, @ended, @DurationMs, @SizeBytes, @status, @Problem);",
                RecordingParameters(r)).ConfigureAwait(false);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (IsConstraint(e))
        {
            throw new StoreConflictException($"a recording with id '{r.Id}' exists already");
        }
    }

    public async Task UpdateRecordingAsync(RecordingRecord r, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE recordings SET user_id = @UserId, user_name = @UserName, target_id = @TargetId, target_name = @TargetName, protocol = @Protocol, " +
            "kind = @Kind, started_at = @started, ended_at = @ended, duration_ms = @DurationMs, size_bytes = @SizeBytes, status = @status, problem = @Problem " +
            "WHERE id = @Id;",
            RecordingParameters(r)).ConfigureAwait(false);
    }

    public async Task<RecordingRecord?> GetRecordingAsync(string id, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<RecordingRow>($"SELECT {RecordingColumns} FROM recordings WHERE id = @id;", new { id }).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<RecordingRecord>> ListRecordingsAsync(RecordingQuery q, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(q);
        var sql = new StringBuilder($"SELECT {RecordingColumns} FROM recordings WHERE 1 = 1");
        var p = new DynamicParameters();
        if (q.UserId is not null)
        {
            sql.Append(" AND user_id = @userId");
            p.Add("userId", q.UserId);
        }

        if (q.TargetId is not null)
        {
            sql.Append(" AND target_id = @targetId");
            p.Add("targetId", q.TargetId);
        }

        if (q.Protocol is not null)
        {
            sql.Append(" AND protocol = @protocol");
            p.Add("protocol", q.Protocol);
        }

        if (q.From is { } from)
        {
            sql.Append(" AND started_at >= @from");
            p.Add("from", Ms(from));
        }

        if (q.To is { } to)
        {
            sql.Append(" AND started_at < @to");
            p.Add("to", Ms(to));
        }

        if (q.StartedBefore is { } before)
        {
            sql.Append(" AND started_at < @before");
            p.Add("before", Ms(before));
        }

        sql.Append(" ORDER BY started_at DESC, id DESC LIMIT @limit;");
        p.Add("limit", Math.Clamp(q.Limit, 1, 1000));
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<RecordingRow>(sql.ToString(), p).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> DeleteRecordingAsync(string id, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM recordings WHERE id = @id;", new { id }).ConfigureAwait(false) > 0;
    }

    public async Task<int> AbandonRecordingsAsync(string problem, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync(
            "UPDATE recordings SET status = 'incomplete', problem = @problem WHERE status = 'recording';", new { problem }).ConfigureAwait(false);
    }

    private static object RecordingParameters(RecordingRecord r) => new
    {
        r.Id,
        r.UserId,
        r.UserName,
        r.TargetId,
        r.TargetName,
        r.Protocol,
        r.Kind,
        started = Ms(r.Started),
        ended = r.Ended is { } e ? Ms(e) : (long?)null,
        r.DurationMs,
        r.SizeBytes,
        status = StatusText(r.Status),
        r.Problem,
    };

    private static string StatusText(RecordingStatus s) => s switch
    {
        RecordingStatus.Recording => "recording",
        RecordingStatus.Complete => "complete",
        _ => "incomplete",
    };

    private sealed class RecordingRow
    {
        public string Id { get; set; } = "";

        public string UserId { get; set; } = "";

        public string UserName { get; set; } = "";

        public string TargetId { get; set; } = "";

        public string TargetName { get; set; } = "";

        public string Protocol { get; set; } = "";

        public string Kind { get; set; } = "";

        public long StartedAt { get; set; }

        public long? EndedAt { get; set; }

        public long DurationMs { get; set; }

        public long SizeBytes { get; set; }

        public string Status { get; set; } = "";

        public string? Problem { get; set; }

        public RecordingRecord ToRecord() => new(
            Id,
            UserId,
            UserName,
            TargetId,
            TargetName,
            Protocol,
            Kind,
            FromMs(StartedAt),
            EndedAt is { } e ? FromMs(e) : null,
            DurationMs,
            SizeBytes,
            Status switch
            {
                "recording" => RecordingStatus.Recording,
                "complete" => RecordingStatus.Complete,
                "incomplete" => RecordingStatus.Incomplete,
                _ => throw new InvalidDataException($"recording '{Id}': unknown stored status '{Status}'"),
            },
            Problem);
    }
}
