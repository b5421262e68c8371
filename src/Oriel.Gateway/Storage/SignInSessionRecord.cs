namespace Oriel.Gateway.Storage;

/// <summary>A server-side sign-in session; the cookie names it, so deleting the row revokes the cookie.</summary>
/// <param name="IdHash">Lowercase hex SHA-256 of the session id carried in the cookie.</param>
/// <param name="ScopeTargetId">
/// The one target this session may reach (a session opened by a Web Desktop link), or null for an ordinary sign-in.
/// Kept here, not only in the cookie, so the principal is rebuilt with it on every request.
/// </param>
public sealed record SignInSessionRecord(
    string IdHash,
    string UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? ClientIp,
    string? UserAgent,
    string? ScopeTargetId = null);
