namespace Oriel.Gateway.Storage;

/// <summary>An API key as stored: never the secret, only its SHA-256 and its prefix (see <see cref="ApiKeys.ApiKeySecret"/>).</summary>
/// <param name="Id">"ak_" + 16 lowercase hex digits; names the key in the audit log and for revocation.</param>
/// <param name="Name">What the key is for ("portal"); unique among keys not revoked.</param>
/// <param name="UserId">The account the key authenticates as.</param>
/// <param name="Prefix">The secret's first <see cref="ApiKeys.ApiKeySecret.PrefixLength"/> characters after "oriel_".</param>
/// <param name="SecretHash">Lowercase hex SHA-256 of the whole secret.</param>
/// <param name="CreatedBy">Who made it (a username, or "cli").</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
public sealed record ApiKeyRecord(
    string Id,
    string Name,
    string UserId,
    string Prefix,
    string SecretHash,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? LastUsedIp,
    DateTimeOffset? RevokedAt,
    string? RevokedBy)
{
    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } e && now >= e;
}
