using System.Text;

namespace Oriel.Gateway.Security;

/// <summary>
/// Encrypts target secrets at rest: the password, and an SSH target's private key and its passphrase
/// (<see cref="TargetSecretKind"/>). The associated data binds each ciphertext to its target id and to the kind of
/// secret, so a ciphertext copied onto another target's row, or into another secret's column, fails to decrypt.
/// Passwords keep the associated data they always had ("oriel:target-password:v1:ID"), so stored ones still decrypt.
/// </summary>
public sealed class TargetSecretProtector(SecretKeyRing keys)
{
    /// <summary>Encrypts a target password.</summary>
    public string Protect(string targetId, string password) => Protect(targetId, TargetSecretKind.Password, password);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when tampered or moved.</summary>
    public string Unprotect(string targetId, string ciphertext) => Unprotect(targetId, TargetSecretKind.Password, ciphertext);

    /// <summary>Encrypts a secret of <paramref name="kind"/> for the target <paramref name="targetId"/>.</summary>
    public string Protect(string targetId, TargetSecretKind kind, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return keys.Encrypt(Encoding.UTF8.GetBytes(secret), AssociatedData(targetId, kind));
    }

    /// <summary>
    /// Decrypts a secret of <paramref name="kind"/>. Throws <see cref="System.Security.Cryptography.CryptographicException"/>
    /// when tampered, or moved from another target or another kind of secret.
    /// </summary>
    public string Unprotect(string targetId, TargetSecretKind kind, string ciphertext) =>
        Encoding.UTF8.GetString(keys.Decrypt(ciphertext, AssociatedData(targetId, kind)));

    // Target ids never contain ':', so "oriel:target-<kind>:v1:<id>" names one target and one kind unambiguously.
    private static byte[] AssociatedData(string targetId, TargetSecretKind kind) => Encoding.UTF8.GetBytes(kind switch
    {
        TargetSecretKind.Password => "oriel:target-password:v1:",
        TargetSecretKind.PrivateKey => "oriel:target-private-key:v1:",
        TargetSecretKind.PrivateKeyPassphrase => "oriel:target-private-key-passphrase:v1:",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown target secret kind"),
    } + targetId);
}
