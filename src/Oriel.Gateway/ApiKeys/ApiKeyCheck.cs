using Oriel.Gateway.Storage;

namespace Oriel.Gateway.ApiKeys;

/// <summary>The outcome of checking a presented bearer key.</summary>
/// <param name="Key">The key, on success.</param>
/// <param name="User">The key's user, on success.</param>
/// <param name="Failure">Why not (an audit reason code, see <see cref="ApiKeyAuditKinds.Failure"/>), or "throttled".</param>
/// <param name="RetryAfter">Set when throttled.</param>
public sealed record ApiKeyCheck(ApiKeyRecord? Key, UserRecord? User, string? Failure, TimeSpan? RetryAfter)
{
    public const string ThrottledReason = "throttled";

    public bool Succeeded => Key is not null && User is not null && Failure is null;

    public static ApiKeyCheck Success(ApiKeyRecord key, UserRecord user) => new(key, user, null, null);

    public static ApiKeyCheck Failed(string reason) => new(null, null, reason, null);

    public static ApiKeyCheck Throttled(TimeSpan wait) => new(null, null, ThrottledReason, wait);
}
