using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Storage;

/// <summary>A remote machine as stored. The password is only ever held encrypted here.</summary>
/// <param name="Id">Stable, url-safe id (see <see cref="TargetRules.IsValidId"/>).</param>
/// <param name="Name">Unique display name.</param>
/// <param name="Protocol">"vnc" now; "rdp" and "ssh" later.</param>
/// <param name="Host">Host name or address the gateway connects to. Never sent to browsers.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Description">Free text shown to users.</param>
/// <param name="Labels">Labels matched by role selectors.</param>
/// <param name="Username">Login name some security types need (VeNCrypt Plain), or null.</param>
/// <param name="PasswordCiphertext">Output of <see cref="Security.TargetSecretProtector"/>, or null.</param>
/// <param name="VncSecurity">Allowed VNC security types in preference order (see <see cref="TargetRules.VncSecurityTypes"/>).</param>
/// <param name="TlsVerification">How the server certificate is checked when TLS is used.</param>
/// <param name="TlsPin">Lowercase hex SHA-256 of the server certificate when pinned.</param>
/// <param name="Declared">Declared in the configuration file.</param>
public sealed record TargetRecord(
    string Id,
    string Name,
    string Protocol,
    string Host,
    int Port,
    string Description,
    IReadOnlyDictionary<string, string> Labels,
    string? Username,
    string? PasswordCiphertext,
    IReadOnlyList<string> VncSecurity,
    TlsVerification TlsVerification,
    string? TlsPin,
    bool Declared)
{
    /// <summary>
    /// VNC: ask the server for Tight JPEG at this quality (0-9), trading exact pixels for bandwidth between
    /// the gateway and a distant target; null (the default) keeps the session lossless.
    /// </summary>
    public int? JpegQuality { get; init; }

    /// <summary>
    /// VNC: in passthrough sessions (noVNC), withhold the JPEG quality levels the viewer asks for, so the server
    /// sends exact pixels; false (the default) honours the viewer's choice (noVNC asks for quality 6).
    /// </summary>
    public bool PassthroughLossless { get; init; }
}
