namespace Oriel.Gateway.Storage;

/// <summary>A filter over the audit log. Results come newest first unless <see cref="OldestFirst"/>.</summary>
public sealed record AuditQuery
{
    /// <summary>The most rows any query returns.</summary>
    public const int MaxLimit = 10_000;

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    /// <summary>Exact kind, or a prefix ending in '.' ("auth." matches every sign-in event).</summary>
    public string? Kind { get; init; }

    public string? Actor { get; init; }

    public string? Target { get; init; }

    public string? SessionId { get; init; }

    /// <summary>At most this many rows (clamped to 1..<see cref="MaxLimit"/>).</summary>
    public int Limit { get; init; } = 100;

    public bool OldestFirst { get; init; }
}
