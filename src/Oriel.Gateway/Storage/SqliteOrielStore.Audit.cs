using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Oriel.Gateway.Audit;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string AuditColumns = "seq, time, kind, actor, target, client_ip, session_id, details, prev_hash, hash";

    /// <summary>Serializes appends within this process; the IMMEDIATE transaction covers other processes.</summary>
    private readonly SemaphoreSlim _auditLock = new(1, 1);

    public async Task<AuditRecord> AppendAuditAsync(AuditEvent e, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        var details = e.Details?.ToJsonString() ?? "{}";
        var timeMs = Ms(e.Time);
        await _auditLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var c = await OpenAsync(ct).ConfigureAwait(false);
            await using var tx = c.BeginTransaction();
            long seq = 1;
            var prev = AuditChain.Genesis;
            await using (var head = await c.ExecuteReaderAsync("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1;", transaction: tx).ConfigureAwait(false))
            {
                if (await head.ReadAsync(ct).ConfigureAwait(false))
                {
                    seq = head.GetInt64(0) + 1;
                    prev = (byte[])head.GetValue(1);
                }
            }

            var hash = AuditChain.ComputeHash(prev, seq, timeMs, e, details);
            await c.ExecuteAsync(
                $"INSERT INTO audit_events ({AuditColumns}) VALUES (@seq, @timeMs, @Kind, @Actor, @Target, @ClientIp, @SessionId, @details, @prev, @hash);",
                new { seq, timeMs, e.Kind, e.Actor, e.Target, e.ClientIp, e.SessionId, details, prev, hash },
                tx).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            var stored = e with { Sequence = seq, Time = FromMs(timeMs), Details = ParseDetails(details) };
            return new AuditRecord(stored, details, prev, hash);
        }
        finally
        {
            _auditLock.Release();
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("1 = 1");
        var p = new DynamicParameters();
        if (query.Since is { } since)
        {
            where.Append(" AND time >= @since");
            p.Add("since", Ms(since));
        }

        if (query.Until is { } until)
        {
            where.Append(" AND time < @until");
            p.Add("until", Ms(until));
        }

        if (!string.IsNullOrEmpty(query.Kind))
        {
            where.Append(query.Kind.EndsWith('.') ? " AND substr(kind, 1, length(@kind)) = @kind" : " AND kind = @kind");
            p.Add("kind", query.Kind);
        }

        AddEquals(where, p, "actor", query.Actor);
        AddEquals(where, p, "target", query.Target);
        AddEquals(where, p, "session_id", query.SessionId);
        p.Add("limit", Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit));
        var order = query.OldestFirst ? "ASC" : "DESC";
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var reader = await c.ExecuteReaderAsync($"SELECT {AuditColumns} FROM audit_events WHERE {where} ORDER BY seq {order} LIMIT @limit;", p).ConfigureAwait(false);
        var list = new List<AuditRecord>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(ReadAudit(reader));
        }

        return list;
    }

    public async IAsyncEnumerable<AuditRecord> ReadAuditChainAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var reader = await c.ExecuteReaderAsync($"SELECT {AuditColumns} FROM audit_events ORDER BY seq ASC;").ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return ReadAudit(reader);
        }
    }

    private static void AddEquals(StringBuilder where, DynamicParameters p, string column, string? value)
    {
        if (value is not null)
        {
            where.Append(" AND ").Append(column).Append(" = @").Append(column);
            p.Add(column, value);
        }
    }

    private static AuditRecord ReadAudit(DbDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var details = r.GetString(7);
        var e = new AuditEvent
        {
            Sequence = r.GetInt64(0),
            Time = FromMs(r.GetInt64(1)),
            Kind = r.GetString(2),
            Actor = Text(3),
            Target = Text(4),
            ClientIp = Text(5),
            SessionId = Text(6),
            Details = ParseDetails(details),
        };
        return new AuditRecord(e, details, (byte[])r.GetValue(8), (byte[])r.GetValue(9));
    }

    private static JsonObject? ParseDetails(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a tampered row; verification reports it
        }
    }
}
