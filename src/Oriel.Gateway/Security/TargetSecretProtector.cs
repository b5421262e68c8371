using System.Text;

namespace Oriel.Gateway.Security;

/// <summary>
/// Encrypts target passwords at rest. The associated data binds each ciphertext to its target id, so a
/// ciphertext copied onto another target's row fails to decrypt.
/// </summary>
public sealed class TargetSecretProtector(SecretKeyRing keys)
{
    public string Protect(string targetId, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return keys.Encrypt(Encoding.UTF8.GetBytes(password), AssociatedData(targetId));
    }

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when tampered or moved.</summary>
    public string Unprotect(string targetId, string ciphertext) =>
        Encoding.UTF8.GetString(keys.Decrypt(ciphertext, AssociatedData(targetId)));

    private static byte[] AssociatedData(string targetId) => Encoding.UTF8.GetBytes("oriel:target-password:v1:" + targetId);
}
