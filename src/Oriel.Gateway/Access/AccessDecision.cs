using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Access;

/// <summary>Whether a user may open a session to a target, and if so with what connection details and permissions.</summary>
public sealed record AccessDecision
{
    public required bool Allowed { get; init; }

    /// <summary>Why not, in words a user may read (never says whether the target exists).</summary>
    public string? Reason { get; init; }

    /// <summary>Set only when allowed.</summary>
    public ResolvedTarget? Target { get; init; }

    public SessionPermissions Permissions { get; init; } = SessionPermissions.None;

    public string UserName { get; init; } = "";

    public string UserId { get; init; } = "";

    public static AccessDecision Deny(string reason, string userName = "", string userId = "") =>
        new() { Allowed = false, Reason = reason, UserName = userName, UserId = userId };

    public override string ToString() => Allowed ? $"allowed {UserName} → {Target}" : $"denied {UserName}: {Reason}";
}
