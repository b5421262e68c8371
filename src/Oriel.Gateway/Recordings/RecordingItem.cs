namespace Oriel.Gateway.Recordings;

/// <summary>One recording as <c>GET /api/recordings</c> lists it (CONTRACTS section 3); serialized in camelCase.</summary>
public sealed record RecordingItem(
    string Id,
    string UserId,
    string User,
    string TargetId,
    string Target,
    string Protocol,
    string Kind,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    long DurationMs,
    long SizeBytes,
    string Status,
    string? Problem);
