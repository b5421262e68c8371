namespace Oriel.Gateway.Storage;

/// <summary>A server-side sign-in session; the cookie names it, so deleting the row revokes the cookie.</summary>
/// <param name="IdHash">Lowercase hex SHA-256 of the session id carried in the cookie.</param>
public sealed record SignInSessionRecord(
    string IdHash,
    string UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? ClientIp,
    string? UserAgent);
