using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Targets;

/// <summary>
/// A target with its secrets decrypted, for the session broker to connect with. Lives only in memory, never
/// serialized; <see cref="ToString"/> omits the password.
/// </summary>
public sealed class ResolvedTarget
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>"vnc", later "rdp" and "ssh".</summary>
    public required string Protocol { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Allowed VNC security types in preference order (names from <see cref="Storage.VncTargetSettings.SecurityTypes"/>).</summary>
    public IReadOnlyList<string> VncSecurity { get; init; } = [];

    public TlsVerification TlsVerification { get; init; }

    /// <summary>Lowercase hex SHA-256 of the expected server certificate when <see cref="TlsVerification"/> is Pinned.</summary>
    public string? TlsPinSha256 { get; init; }

    /// <summary>True when any certificate is accepted.</summary>
    public bool TlsInsecure => TlsVerification == TlsVerification.Insecure;

    /// <summary>Tight JPEG quality to ask a VNC server for (0-9), or null for lossless.</summary>
    public int? JpegQuality { get; init; }

    /// <summary>Passthrough sessions withhold the viewer's JPEG quality levels (see <see cref="Storage.VncTargetSettings.PassthroughLossless"/>).</summary>
    public bool PassthroughLossless { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public override string ToString() => $"{Protocol}://{Host}:{Port} ({Id})";
}
