using Dapper;
using Microsoft.Data.Sqlite;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string ApiKeyColumns = "id AS Id, name AS Name, user_id AS UserId, prefix AS Prefix, secret_hash AS SecretHash, " +
        "created_by AS CreatedBy, created_at AS CreatedAt, expires_at AS ExpiresAt, last_used_at AS LastUsedAt, last_used_ip AS LastUsedIp, " +
        "revoked_at AS RevokedAt, revoked_by AS RevokedBy";

    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await c.ExecuteAsync(
                "INSERT INTO api_keys (id, name, user_id, prefix, secret_hash, created_by, created_at, expires_at, last_used_at, last_used_ip, revoked_at, revoked_by) " +
                "VALUES (@Id, @Name, @UserId, @Prefix, @SecretHash, @CreatedBy, @created, @expires, @used, @LastUsedIp, @revoked, @RevokedBy);",
                new
                {
                    key.Id,
                    key.Name,
                    key.UserId,
                    key.Prefix,
                    key.SecretHash,
                    key.CreatedBy,
                    created = Ms(key.CreatedAt),
                    expires = key.ExpiresAt is { } e ? Ms(e) : (long?)null,
                    used = key.LastUsedAt is { } u ? Ms(u) : (long?)null,
                    key.LastUsedIp,
                    revoked = key.RevokedAt is { } r ? Ms(r) : (long?)null,
                    key.RevokedBy,
                }).ConfigureAwait(false);
        }
        catch (SqliteException e) when (IsConstraint(e))
        {
            throw new StoreConflictException($"an API key named '{key.Name}' exists (revoke it first), or its user is gone", e);
        }
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> FindApiKeysByPrefixAsync(string prefix, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<ApiKeyRow>($"SELECT {ApiKeyColumns} FROM api_keys WHERE prefix = @prefix;", new { prefix }).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<ApiKeyRow>($"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, id;").ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset now, string revokedBy, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync(
            "UPDATE api_keys SET revoked_at = @now, revoked_by = @revokedBy WHERE id = @id AND revoked_at IS NULL;",
            new { id, now = Ms(now), revokedBy }).ConfigureAwait(false) == 1;
    }

    public async Task TouchApiKeyAsync(string id, DateTimeOffset now, string? clientIp, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE api_keys SET last_used_at = @now, last_used_ip = @clientIp WHERE id = @id;",
            new { id, now = Ms(now), clientIp }).ConfigureAwait(false);
    }

    private sealed class ApiKeyRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string UserId { get; set; } = "";

        public string Prefix { get; set; } = "";

        public string SecretHash { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public long CreatedAt { get; set; }

        public long? ExpiresAt { get; set; }

        public long? LastUsedAt { get; set; }

        public string? LastUsedIp { get; set; }

        public long? RevokedAt { get; set; }

        public string? RevokedBy { get; set; }

        public ApiKeyRecord ToRecord() => new(
            Id,
            Name,
            UserId,
            Prefix,
            SecretHash,
            CreatedBy,
            FromMs(CreatedAt),
            ExpiresAt is { } e ? FromMs(e) : null,
            LastUsedAt is { } u ? FromMs(u) : null,
            LastUsedIp,
            RevokedAt is { } r ? FromMs(r) : null,
            RevokedBy);
    }
}
