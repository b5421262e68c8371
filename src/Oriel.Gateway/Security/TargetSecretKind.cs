namespace Oriel.Gateway.Security;

/// <summary>
/// The kinds of secret a target's vault holds. Each kind is named in the associated data of its ciphertext
/// (<see cref="TargetSecretProtector"/>), so a ciphertext moved into another kind's column does not decrypt.
/// </summary>
public enum TargetSecretKind
{
    /// <summary>The password of the target's own username (VNC authentication, SSH password or keyboard-interactive).</summary>
    Password,

    /// <summary>An SSH private key, OpenSSH or PEM text.</summary>
    PrivateKey,

    /// <summary>The passphrase that decrypts <see cref="PrivateKey"/>.</summary>
    PrivateKeyPassphrase,
}
