using System.Text.Json.Nodes;

namespace Oriel.Gateway.Storage;

/// <summary>
/// One audit event. <see cref="Kind"/> is a dotted name from <see cref="Audit.AuditKinds"/> (or a new one in the same
/// style). <see cref="Details"/> carries kind-specific facts (bytes in/out, end reason, changed fields); never
/// secrets, keystrokes or clipboard contents.
/// </summary>
public sealed record AuditEvent
{
    /// <summary>When it happened; left default, the audit log stamps it from its <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Time { get; init; }

    public required string Kind { get; init; }

    /// <summary>Who did it: a username, "cli" for the command line, "config" for the configuration file.</summary>
    public string? Actor { get; init; }

    /// <summary>What it was done to: a target id, a username, a role name.</summary>
    public string? Target { get; init; }

    public string? ClientIp { get; init; }

    /// <summary>The remote-session id (from the session broker) when the event belongs to one.</summary>
    public string? SessionId { get; init; }

    public JsonObject? Details { get; init; }

    /// <summary>Position in the chain; 0 until stored.</summary>
    public long Sequence { get; init; }
}
