namespace Oriel.Gateway.Storage;

/// <summary>A Web Desktop link as stored at creation; <see cref="UsedAt"/> is set once, atomically, when it is opened.</summary>
/// <param name="Id">The token's link id (32 lowercase hex digits).</param>
/// <param name="UserId">The account the link signs in.</param>
/// <param name="TargetId">The desktop it opens.</param>
/// <param name="CreatedBy">Who asked for it (a username, or "cli").</param>
public sealed record LinkRecord(
    string Id,
    string UserId,
    string TargetId,
    LinkViewer Viewer,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    string? UsedFromIp);
