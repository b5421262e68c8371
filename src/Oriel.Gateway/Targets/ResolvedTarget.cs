using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Targets;

/// <summary>
/// A target with its secrets decrypted, for the session broker to connect with: the fields every protocol has
/// (where, who, the decrypted password, labels) plus the protocol's own settings as their typed record
/// (<see cref="VncTargetSettings"/> for "vnc"), which only that protocol's adapter reads. Lives only in memory,
/// never serialized; <see cref="ToString"/> omits the password.
/// </summary>
public sealed class ResolvedTarget
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>"vnc", later "rdp" and "ssh": the name the protocol's adapter is registered under. Always <see cref="TargetSettings.Protocol"/> of <see cref="Settings"/>.</summary>
    public string Protocol => Settings.Protocol;

    public required string Host { get; init; }

    public required int Port { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>The protocol's settings as stored (<see cref="VncTargetSettings"/> for VNC).</summary>
    public required TargetSettings Settings { get; init; }

    /// <summary>An SSH private key (OpenSSH or PEM text) from the vault, decrypted; null when the target has none.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>The passphrase of <see cref="PrivateKey"/> when it is encrypted, decrypted.</summary>
    public string? PrivateKeyPassphrase { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The settings as the record type of the protocol that reads them. A mismatch is a bug in the gateway (an adapter
    /// was handed another protocol's target), not a user error, so it throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public T SettingsAs<T>() where T : TargetSettings =>
        Settings as T ?? throw new InvalidOperationException($"target {Id} has {Settings.GetType().Name} ({Settings.Protocol}), not {typeof(T).Name}");

    public override string ToString() => $"{Protocol}://{Host}:{Port} ({Id})";
}
