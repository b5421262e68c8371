
namespace Oriel.Gateway.Storage;

/// <summary>
/// Everything the gateway persists. One implementation per database (SQLite now, PostgreSQL later, for several
/// gateways sharing one database); each keeps its schema in numbered migrations. Callers pass times in: the store
/// never reads a clock. Names (users, roles, targets) compare case-insensitively.
/// </summary>
public interface IOrielStore
{
    /// <summary>Applies pending migrations in one transaction; returns the schema version afterwards.</summary>
    Task<int> MigrateAsync(DateTimeOffset now, CancellationToken ct = default);

    Task<int> GetSchemaVersionAsync(CancellationToken ct = default);

    // Users

    Task<int> CountUsersAsync(CancellationToken ct = default);

    Task<UserRecord?> FindUserByNameAsync(string username, CancellationToken ct = default);

    Task<UserRecord?> FindUserByIdAsync(string userId, CancellationToken ct = default);

    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct = default);

    /// <summary>Creates a user with its roles. Throws <see cref="StoreConflictException"/> on a duplicate name or unknown role.</summary>
    Task CreateUserAsync(UserRecord user, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Updates everything but id and creation time, roles included. Returns false when no such user.</summary>
    Task<bool> UpdateUserAsync(UserRecord user, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Deletes the user, its role grants and its sign-in sessions.</summary>
    Task<bool> DeleteUserAsync(string userId, CancellationToken ct = default);

    // Roles

    Task<IReadOnlyList<RoleRecord>> ListRolesAsync(CancellationToken ct = default);

    Task<RoleRecord?> FindRoleAsync(string name, CancellationToken ct = default);

    Task UpsertRoleAsync(RoleRecord role, DateTimeOffset now, CancellationToken ct = default);

    Task<bool> DeleteRoleAsync(string name, CancellationToken ct = default);

    // Targets

    Task<IReadOnlyList<TargetRecord>> ListTargetsAsync(CancellationToken ct = default);

    Task<TargetRecord?> FindTargetAsync(string id, CancellationToken ct = default);

    Task<TargetRecord?> FindTargetByNameAsync(string name, CancellationToken ct = default);

    /// <summary>Inserts or replaces by id. Throws <see cref="StoreConflictException"/> when another target has the name.</summary>
    Task UpsertTargetAsync(TargetRecord target, DateTimeOffset now, CancellationToken ct = default);

    Task<bool> DeleteTargetAsync(string id, CancellationToken ct = default);

    /// <summary>
    /// Replaces a target's settings only if they are still <paramref name="expected"/> (<see cref="TargetSettings.SameAs"/>),
    /// reading and writing in one immediate transaction: a compare-and-swap, so two writers (two sessions pinning a first-use host key, or a session and the CLI)
    /// cannot both win. Returns false when the target is gone or its settings changed meanwhile.
    /// </summary>
    Task<bool> ReplaceTargetSettingsAsync(string id, TargetSettings expected, TargetSettings replacement, DateTimeOffset now, CancellationToken ct = default);

    // Sign-in sessions

    Task CreateSignInSessionAsync(SignInSessionRecord session, CancellationToken ct = default);

    Task<SignInSessionRecord?> FindSignInSessionAsync(string idHash, CancellationToken ct = default);

    Task TouchSignInSessionAsync(string idHash, DateTimeOffset lastSeen, DateTimeOffset expiresAt, CancellationToken ct = default);

    Task<bool> DeleteSignInSessionAsync(string idHash, CancellationToken ct = default);

    /// <summary>Revokes every session of a user except <paramref name="exceptIdHash"/>; returns how many.</summary>
    Task<int> DeleteSignInSessionsForUserAsync(string userId, string? exceptIdHash, CancellationToken ct = default);

    /// <summary>Removes expired sessions and throttle rows idle since before <paramref name="throttleIdleBefore"/>.</summary>
    Task PurgeExpiredAsync(DateTimeOffset now, DateTimeOffset throttleIdleBefore, CancellationToken ct = default);

    // Sign-in throttling

    Task<ThrottleRecord?> FindThrottleAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Reads the rows of <paramref name="keys"/> (null for a missing row, in the same order), lets
    /// <paramref name="decide"/> say which rows to write and what to return, and writes them, all in one IMMEDIATE
    /// transaction: concurrent callers, in this process or in others sharing the database, are serialized and never
    /// decide on a stale count. <paramref name="decide"/> must be a pure function of the rows and the time.
    /// </summary>
    Task<TResult> UpdateThrottlesAsync<TResult>(
        IReadOnlyList<string> keys, Func<IReadOnlyList<ThrottleRecord?>, (IReadOnlyList<ThrottleRecord> Save, TResult Result)> decide,
        CancellationToken ct = default);

    Task DeleteThrottleAsync(string key, CancellationToken ct = default);

    // Web Desktop links

    Task CreateLinkAsync(Storage.LinkRecord link, CancellationToken ct = default);

    Task<Storage.LinkRecord?> FindLinkAsync(string id, CancellationToken ct = default);

    /// <summary>
    /// Marks the link used, atomically: true for exactly one caller, and only while it is unused and unexpired at
    /// <paramref name="now"/>.
    /// </summary>
    Task<bool> TryUseLinkAsync(string id, DateTimeOffset now, string? clientIp, CancellationToken ct = default);

    /// <summary>Deletes links that expired before <paramref name="expiredBefore"/>; returns how many.</summary>
    Task<int> PurgeLinksAsync(DateTimeOffset expiredBefore, CancellationToken ct = default);

    // API keys (ApiKeys/ApiKeyService.cs)

    /// <summary>Stores a new key. Throws <see cref="StoreConflictException"/> when a live key has the name, or the user is gone.</summary>
    Task CreateApiKeyAsync(Storage.ApiKeyRecord key, CancellationToken ct = default);

    /// <summary>Keys whose secret starts with <paramref name="prefix"/> (revoked and expired ones included).</summary>
    Task<IReadOnlyList<Storage.ApiKeyRecord>> FindApiKeysByPrefixAsync(string prefix, CancellationToken ct = default);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<Storage.ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default);

    /// <summary>Marks the key revoked; false when there is no such key or it was revoked already.</summary>
    Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset now, string revokedBy, CancellationToken ct = default);

    Task TouchApiKeyAsync(string id, DateTimeOffset now, string? clientIp, CancellationToken ct = default);

    // Recordings catalog (Recordings/; one row per recorded session, the file is DATA/recordings/<id>.orec)

    /// <summary>Adds a row (status <see cref="RecordingStatus.Recording"/> at the start of a session). Throws <see cref="StoreConflictException"/> on a duplicate id.</summary>
    Task InsertRecordingAsync(RecordingRecord r, CancellationToken ct);

    /// <summary>Replaces the row with this id (at the end of the session: status, end, duration, size, problem); nothing when there is none.</summary>
    Task UpdateRecordingAsync(RecordingRecord r, CancellationToken ct);

    Task<RecordingRecord?> GetRecordingAsync(string id, CancellationToken ct);

    /// <summary>Rows matching <paramref name="q"/>, newest first.</summary>
    Task<IReadOnlyList<RecordingRecord>> ListRecordingsAsync(RecordingQuery q, CancellationToken ct);

    /// <summary>Removes the row (not the file). False when there was none.</summary>
    Task<bool> DeleteRecordingAsync(string id, CancellationToken ct);

    /// <summary>
    /// Marks every row still <see cref="RecordingStatus.Recording"/> incomplete with <paramref name="problem"/>: at gateway
    /// start, a recording left so was cut off by a stop or crash. Returns how many.
    /// </summary>
    Task<int> AbandonRecordingsAsync(string problem, CancellationToken ct);

    // Audit

    /// <summary>
    /// Appends one event to the hash chain atomically (reads the last hash and inserts under one write lock,
    /// so concurrent writers, even from other processes, cannot fork the chain). Returns the stored row.
    /// </summary>
    Task<AuditRecord> AppendAuditAsync(AuditEvent e, CancellationToken ct = default);

    Task<IReadOnlyList<AuditRecord>> QueryAuditAsync(AuditQuery query, CancellationToken ct = default);

    /// <summary>All rows in sequence order, for chain verification.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(CancellationToken ct = default);
}
