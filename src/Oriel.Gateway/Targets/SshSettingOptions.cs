namespace Oriel.Gateway.Targets;

/// <summary>
/// The SSH settings the CLI and the configuration file take, as given (null: not given, the default applies). Turned
/// into <see cref="Storage.SshTargetSettings"/> by <see cref="TargetRules.SettingsFor"/>, which refuses them for a target of
/// another protocol.
/// </summary>
/// <param name="HostKeyPins">Host key fingerprints to pin ("SHA256:..." as <c>ssh-keygen -l</c> prints them).</param>
/// <param name="TrustOnFirstUse">Pin the first key seen when none is pinned (default on).</param>
/// <param name="TerminalType">TERM for the pseudo-terminal (default <c>xterm-256color</c>).</param>
/// <param name="Logins">Logins offered besides the target's own username.</param>
public sealed record SshSettingOptions(
    IReadOnlyList<string>? HostKeyPins = null,
    bool? TrustOnFirstUse = null,
    string? TerminalType = null,
    IReadOnlyList<string>? Logins = null)
{
    /// <summary>True when no SSH setting was given.</summary>
    public bool IsEmpty => (HostKeyPins is null or { Count: 0 }) && TrustOnFirstUse is null && TerminalType is null && (Logins is null or { Count: 0 });
}
