using System.Security.Cryptography;
using System.Text;

namespace Oriel.Gateway.Links;

/// <summary>
/// The HMAC-SHA256 keys that sign link tokens: each derived with HKDF-SHA256 (RFC 5869, empty salt, info
/// <see cref="Info"/>) from one of the gateway's secret keys, so the encryption key itself never signs anything.
/// The first key signs; every key verifies (a rotated <c>secret.key</c> keeps its old lines for a while).
/// </summary>
public sealed class LinkSigningKey
{
    public const int KeyLength = 32;

    private const string LineTag = "oriel-key-v1";

    private readonly byte[][] _keys;

    /// <param name="secretKeys">Secret keys, the active one first; each is only used as HKDF input.</param>
    public LinkSigningKey(IEnumerable<byte[]> secretKeys)
    {
        ArgumentNullException.ThrowIfNull(secretKeys);
        _keys = [.. secretKeys.Select(k => Derive(k))];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("at least one secret key is needed", nameof(secretKeys));
        }
    }

    /// <summary>The HKDF info string: names the purpose and the token version.</summary>
    public static ReadOnlySpan<byte> Info => "oriel/link-token/v1"u8;

    /// <summary>The key that signs new tokens.</summary>
    internal ReadOnlySpan<byte> Active => _keys[0];

    /// <summary>Every key a token may be signed with, the active one first.</summary>
    internal IReadOnlyList<byte[]> All => _keys;

    public static byte[] Derive(ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.Length < 16)
        {
            throw new ArgumentException("the secret key is too short", nameof(secretKey));
        }

        var key = new byte[KeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secretKey, key, salt: ReadOnlySpan<byte>.Empty, info: Info);
        return key;
    }

    /// <summary>
    /// Reads the secret keys from <c>DATA/secret.key</c> (the file <see cref="Security.SecretKeyRing"/> owns: one
    /// <c>oriel-key-v1 KID BASE64</c> line per key, active first). To be replaced by a derive-key call on the ring
    /// once it offers one.
    /// </summary>
    public static LinkSigningKey FromSecretKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var keys = new List<byte[]>();
        foreach (var raw in File.ReadAllText(path, Encoding.ASCII).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[0] != LineTag)
            {
                throw new InvalidDataException($"{path}: malformed key line");
            }

            try
            {
                keys.Add(Convert.FromBase64String(parts[2]));
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path}: malformed key line", e);
            }
        }

        return keys.Count == 0 ? throw new InvalidDataException($"{path}: no key") : new LinkSigningKey(keys);
    }
}
