namespace Oriel.Gateway.Storage;

/// <summary>A remote machine as stored. The password (and an SSH target's private key and passphrase) are only ever held encrypted here.</summary>
/// <param name="Id">Stable, url-safe id (see <see cref="Targets.TargetRules.IsValidId"/>).</param>
/// <param name="Name">Unique display name.</param>
/// <param name="Host">Host name or address the gateway connects to. Never sent to browsers.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Description">Free text shown to users.</param>
/// <param name="Labels">Labels matched by role selectors.</param>
/// <param name="Username">Login name some security types need (VeNCrypt Plain), or null.</param>
/// <param name="PasswordCiphertext">Output of <see cref="Security.TargetSecretProtector"/>, or null.</param>
/// <param name="Settings">The protocol and its settings (<see cref="VncTargetSettings"/> for VNC).</param>
/// <param name="Declared">Declared in the configuration file.</param>
public sealed record TargetRecord(
    string Id,
    string Name,
    string Host,
    int Port,
    string Description,
    IReadOnlyDictionary<string, string> Labels,
    string? Username,
    string? PasswordCiphertext,
    TargetSettings Settings,
    bool Declared)
{
    /// <summary>
    /// An SSH private key (OpenSSH or PEM text) as output of <see cref="Security.TargetSecretProtector"/> with
    /// <see cref="Security.TargetSecretKind.PrivateKey"/>, or null.
    /// </summary>
    public string? PrivateKeyCiphertext { get; init; }

    /// <summary>The passphrase of the private key, encrypted with <see cref="Security.TargetSecretKind.PrivateKeyPassphrase"/>, or null.</summary>
    public string? PrivateKeyPassphraseCiphertext { get; init; }

    /// <summary>"vnc", "ssh"; "rdp" later. Always the protocol of <see cref="Settings"/>.</summary>
    public string Protocol => Settings.Protocol;
}
