using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.ApiKeys;

/// <summary>
/// API keys for server-to-server callers (a portal asking for Web Desktop links): made and revoked from the CLI,
/// presented as <c>Authorization: Bearer oriel_…</c>, authenticating as the key's user for <c>/api</c> calls only
/// (never for sessions: see <see cref="ApiKeyAuthenticationHandler"/>). The secret is returned once at creation and
/// stored as its SHA-256. Creation, revocation and every refused key are audited (a throttled address through the
/// <see cref="RefusalAuditor"/>: once, then counted); refusals count towards the sign-in throttle of the caller's address.
/// </summary>
public sealed class ApiKeyService(
    IOrielStore store,
    ApiKeyThrottle throttle,
    IAuditLog audit,
    RefusalAuditor refusals,
    TimeProvider time,
    ILogger<ApiKeyService> log)
{
    /// <summary>Longest lifetime a key may be given (ten years); a key may also never expire.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    /// <summary>How often a key's last-used time is written (not on every request).</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Makes a key for <paramref name="userName"/>. Throws <see cref="KeyNotFoundException"/> when there is no such
    /// user, <see cref="ArgumentException"/> for a bad name or lifetime, <see cref="StoreConflictException"/> when a
    /// live key has the name.
    /// </summary>
    /// <returns>The stored key and its secret, which is not kept anywhere and cannot be shown again.</returns>
    public async Task<(ApiKeyRecord Key, string Secret)> CreateAsync(string name, string userName, TimeSpan? lifetime, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        if (!PasswordPolicy.IsValidUsername(name))
        {
            throw new ArgumentException($"key name '{name}' must be 1-64 of letters, digits . _ - @, starting with a letter or digit");
        }

        if (lifetime is { } l && (l <= TimeSpan.Zero || l > MaxLifetime))
        {
            throw new ArgumentException($"a key's lifetime must be more than zero and at most {MaxLifetime.TotalDays:0} days");
        }

        var user = await store.FindUserByNameAsync(userName ?? "", ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no user named '{userName}'");
        var secret = ApiKeySecret.New();
        if (!ApiKeySecret.TryGetPrefix(secret, out var prefix))
        {
            throw new InvalidOperationException("a new key does not have the key form");
        }

        var now = time.GetUtcNow();
        var key = new ApiKeyRecord(
            "ak_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            name,
            user.Id,
            prefix,
            ApiKeySecret.HashHex(secret),
            actor,
            now,
            lifetime is { } t ? now + t : null,
            null,
            null,
            null,
            null);
        await store.CreateApiKeyAsync(key, ct).ConfigureAwait(false);
        ApiKeyLog.Created(log, key.Id, key.Name, actor, user.Username);
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = ApiKeyAuditKinds.Create,
                Actor = actor,
                Target = user.Username,
                Details = new JsonObject
                {
                    ["keyId"] = key.Id,
                    ["name"] = key.Name,
                    ["prefix"] = key.Prefix,
                    ["expiresAt"] = key.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
                },
            },
            ct).ConfigureAwait(false);
        return (key, secret);
    }

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken ct = default) => store.ListApiKeysAsync(ct);

    /// <summary>
    /// Revokes the key with id <paramref name="idOrName"/>, or the live key of that name. Takes effect on the next
    /// request. Throws <see cref="KeyNotFoundException"/> when there is no such key, <see cref="ArgumentException"/>
    /// when it was revoked already.
    /// </summary>
    public async Task<ApiKeyRecord> RevokeAsync(string idOrName, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrName);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var keys = await store.ListApiKeysAsync(ct).ConfigureAwait(false);
        var key = keys.FirstOrDefault(k => k.Id == idOrName)
            ?? keys.FirstOrDefault(k => !k.IsRevoked && string.Equals(k.Name, idOrName, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"no API key with id or name '{idOrName}'");
        var now = time.GetUtcNow();
        if (key.IsRevoked || !await store.RevokeApiKeyAsync(key.Id, now, actor, ct).ConfigureAwait(false))
        {
            throw new ArgumentException($"API key {key.Id} ({key.Name}) was revoked already");
        }

        var user = await store.FindUserByIdAsync(key.UserId, ct).ConfigureAwait(false);
        ApiKeyLog.Revoked(log, key.Id, key.Name, actor);
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = ApiKeyAuditKinds.Revoke,
                Actor = actor,
                Target = user?.Username,
                Details = new JsonObject { ["keyId"] = key.Id, ["name"] = key.Name },
            },
            ct).ConfigureAwait(false);
        return key with { RevokedAt = now, RevokedBy = actor };
    }

    /// <summary>
    /// Checks a presented secret: throttle of the address first, then form, lookup by prefix, constant-time
    /// comparison of SHA-256 hashes, revocation, expiry, and that the user still exists. A failure is audited and
    /// counted against the address; a success updates the key's last-used time (at most once a minute).
    /// </summary>
    public async Task<ApiKeyCheck> AuthenticateAsync(string? presented, string? clientIp, CancellationToken ct = default)
    {
        if (await throttle.CheckAsync(clientIp, ct).ConfigureAwait(false) is { } wait)
        {
            // Refused unverified: written once per address and window, then counted (RefusalAuditor).
            if (await refusals.RefuseAsync(new AuditEvent { Kind = ApiKeyAuditKinds.Throttled, ClientIp = clientIp }, "throttled", ct).ConfigureAwait(false))
            {
                ApiKeyLog.Throttled(log, clientIp);
            }

            return ApiKeyCheck.Throttled(wait);
        }

        if (presented is null || !ApiKeySecret.TryGetPrefix(presented, out var prefix))
        {
            return await FailAsync("malformed", null, null, null, clientIp, ct).ConfigureAwait(false);
        }

        var hash = ApiKeySecret.Hash(presented);
        ApiKeyRecord? key = null;
        foreach (var candidate in await store.FindApiKeysByPrefixAsync(prefix, ct).ConfigureAwait(false))
        {
            if (ApiKeySecret.Matches(hash, candidate.SecretHash))
            {
                key = candidate;
            }
        }

        if (key is null)
        {
            return await FailAsync("unknown", prefix, null, null, clientIp, ct).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var user = await store.FindUserByIdAsync(key.UserId, ct).ConfigureAwait(false);
        var reason = key.IsRevoked ? "revoked" : key.IsExpired(now) ? "expired" : user is null ? "user-gone" : null;
        if (reason is not null || user is null)
        {
            return await FailAsync(reason ?? "user-gone", prefix, key, user, clientIp, ct).ConfigureAwait(false);
        }

        if (key.LastUsedAt is not { } last || now - last >= TouchInterval || key.LastUsedIp != clientIp)
        {
            await store.TouchApiKeyAsync(key.Id, now, clientIp, ct).ConfigureAwait(false);
        }

        return ApiKeyCheck.Success(key, user);
    }

    private async Task<ApiKeyCheck> FailAsync(string reason, string? prefix, ApiKeyRecord? key, UserRecord? user, string? clientIp, CancellationToken ct)
    {
        await throttle.RecordFailureAsync(clientIp, ct).ConfigureAwait(false);
        ApiKeyLog.Refused(log, clientIp, reason);
        var details = new JsonObject { ["reason"] = reason };
        if (key is not null)
        {
            details["keyId"] = key.Id;
            details["name"] = key.Name;
        }

        if (prefix is not null)
        {
            details["prefix"] = prefix;
        }

        await audit.WriteAsync(
            new AuditEvent { Kind = ApiKeyAuditKinds.Failure, Actor = user?.Username, ClientIp = clientIp, Details = details },
            ct).ConfigureAwait(false);
        return ApiKeyCheck.Failed(reason);
    }
}
