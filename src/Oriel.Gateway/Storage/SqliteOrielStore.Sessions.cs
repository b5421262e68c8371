using Dapper;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    /// <summary>Serializes throttle updates within this process (see <see cref="UpdateThrottlesAsync"/>).</summary>
    private readonly SemaphoreSlim _throttleLock = new(1, 1);

    public async Task CreateSignInSessionAsync(SignInSessionRecord session, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(
            "INSERT INTO signin_sessions (id_hash, user_id, created_at, last_seen_at, expires_at, client_ip, user_agent, scope_target_id) " +
            "VALUES (@IdHash, @UserId, @created, @seen, @expires, @ClientIp, @UserAgent, @ScopeTargetId);",
            new
            {
                session.IdHash,
                session.UserId,
                created = Ms(session.CreatedAt),
                seen = Ms(session.LastSeenAt),
                expires = Ms(session.ExpiresAt),
                session.ClientIp,
                session.UserAgent,
                session.ScopeTargetId,
            }).ConfigureAwait(false);
    }

    public async Task<SignInSessionRecord?> FindSignInSessionAsync(string idHash, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<SessionRow>(
            "SELECT id_hash AS IdHash, user_id AS UserId, created_at AS CreatedAt, last_seen_at AS LastSeenAt, expires_at AS ExpiresAt, " +
            "client_ip AS ClientIp, user_agent AS UserAgent, scope_target_id AS ScopeTargetId FROM signin_sessions WHERE id_hash = @idHash;",
            new { idHash }).ConfigureAwait(false);
        return row is null
            ? null
            : new SignInSessionRecord(row.IdHash, row.UserId, FromMs(row.CreatedAt), FromMs(row.LastSeenAt), FromMs(row.ExpiresAt), row.ClientIp, row.UserAgent,
                row.ScopeTargetId);
    }

    public async Task TouchSignInSessionAsync(string idHash, DateTimeOffset lastSeen, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE signin_sessions SET last_seen_at = @seen, expires_at = @expires WHERE id_hash = @idHash;",
            new { idHash, seen = Ms(lastSeen), expires = Ms(expiresAt) }).ConfigureAwait(false);
    }

    public async Task<bool> DeleteSignInSessionAsync(string idHash, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM signin_sessions WHERE id_hash = @idHash;", new { idHash }).ConfigureAwait(false) > 0;
    }

    public async Task<int> DeleteSignInSessionsForUserAsync(string userId, string? exceptIdHash, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync(
            "DELETE FROM signin_sessions WHERE user_id = @userId AND (@exceptIdHash IS NULL OR id_hash <> @exceptIdHash);",
            new { userId, exceptIdHash }).ConfigureAwait(false);
    }

    public async Task PurgeExpiredAsync(DateTimeOffset now, DateTimeOffset throttleIdleBefore, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(
            "DELETE FROM signin_sessions WHERE expires_at <= @now; " +
            "DELETE FROM signin_throttle WHERE locked_until <= @now AND window_start < @idle;",
            new { now = Ms(now), idle = Ms(throttleIdleBefore) }).ConfigureAwait(false);
    }

    public async Task<ThrottleRecord?> FindThrottleAsync(string key, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<ThrottleRow>(
            "SELECT key AS Key, failures AS Failures, window_start AS WindowStart, locked_until AS LockedUntil FROM signin_throttle WHERE key = @key;",
            new { key }).ConfigureAwait(false);
        return row is null ? null : new ThrottleRecord(row.Key, (int)row.Failures, FromMs(row.WindowStart), FromMs(row.LockedUntil));
    }

    public async Task<TResult> UpdateThrottlesAsync<TResult>(
        IReadOnlyList<string> keys, Func<IReadOnlyList<ThrottleRecord?>, (IReadOnlyList<ThrottleRecord> Save, TResult Result)> decide,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(decide);

        // The lock keeps this process's callers from spinning on SQLite's busy handler; the IMMEDIATE transaction
        // (the write lock taken at BEGIN, before the read) is what makes read-decide-write atomic across processes.
        await _throttleLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var c = await OpenAsync(ct).ConfigureAwait(false);
            await using var tx = c.BeginTransaction(deferred: false);
            var rows = new List<ThrottleRecord?>(keys.Count);
            foreach (var key in keys)
            {
                var row = await c.QuerySingleOrDefaultAsync<ThrottleRow>(
                    "SELECT key AS Key, failures AS Failures, window_start AS WindowStart, locked_until AS LockedUntil FROM signin_throttle WHERE key = @key;",
                    new { key }, tx).ConfigureAwait(false);
                rows.Add(row is null ? null : new ThrottleRecord(row.Key, (int)row.Failures, FromMs(row.WindowStart), FromMs(row.LockedUntil)));
            }

            var (save, result) = decide(rows);
            foreach (var record in save)
            {
                await c.ExecuteAsync(
                    "INSERT INTO signin_throttle (key, failures, window_start, locked_until) VALUES (@Key, @Failures, @start, @locked) " +
                    "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until;",
                    new { record.Key, record.Failures, start = Ms(record.WindowStart), locked = Ms(record.LockedUntil) }, tx).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _throttleLock.Release();
        }
    }

    public async Task DeleteThrottleAsync(string key, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync("DELETE FROM signin_throttle WHERE key = @key;", new { key }).ConfigureAwait(false);
    }

    private sealed class SessionRow
    {
        public string IdHash { get; set; } = "";

        public string UserId { get; set; } = "";

        public long CreatedAt { get; set; }

        public long LastSeenAt { get; set; }

        public long ExpiresAt { get; set; }

        public string? ClientIp { get; set; }

        public string? UserAgent { get; set; }

        public string? ScopeTargetId { get; set; }
    }

    private sealed class ThrottleRow
    {
        public string Key { get; set; } = "";

        public long Failures { get; set; }

        public long WindowStart { get; set; }

        public long LockedUntil { get; set; }
    }
}
