using System.Security.Cryptography;
using System.Text;

namespace Oriel.Gateway.Security;

/// <summary>
/// The data-encryption keys, kept in <c>DATA/secret.key</c> (mode 0600), outside the database so a copy of the
/// database alone reveals no target password. The file holds one key a line, <c>oriel-key-v1 KID BASE64</c>;
/// the first line is the active key, later lines still decrypt (rotation: prepend a new line).
/// Ciphertexts are <c>v1.KID.BASE64URL(nonce[12] || ciphertext || tag[16])</c>, AES-256-GCM with caller-supplied
/// associated data.
/// </summary>
public sealed class SecretKeyRing
{
    public const string FileName = "secret.key";

    private const string LineTag = "oriel-key-v1";
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeId;

    private SecretKeyRing(Dictionary<string, byte[]> keys, string activeId)
    {
        _keys = keys;
        _activeId = activeId;
    }

    public string ActiveKeyId => _activeId;

    /// <summary>Loads the key file, creating it with a fresh key (mode 0600) when missing.</summary>
    public static SecretKeyRing LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var line = $"{LineTag} {id} {Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyLength))}\n";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(line));
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }
        else if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return Parse(File.ReadAllText(path), path);
    }

    internal static SecretKeyRing Parse(string text, string source)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? active = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            byte[] key;
            try
            {
                key = parts.Length == 3 && parts[0] == LineTag ? Convert.FromBase64String(parts[2]) : [];
            }
            catch (FormatException)
            {
                key = [];
            }

            if (key.Length != KeyLength)
            {
                throw new InvalidDataException($"{source}: malformed key line (expected '{LineTag} KID BASE64-32-BYTES')");
            }

            keys[parts[1]] = key;
            active ??= parts[1];
        }

        return active is null ? throw new InvalidDataException($"{source}: no key") : new SecretKeyRing(keys, active);
    }

    public string Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var blob = new byte[NonceLength + plaintext.Length + TagLength];
        var nonce = blob.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_activeId], TagLength);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(NonceLength, plaintext.Length), blob.AsSpan(NonceLength + plaintext.Length), associatedData);
        return $"v1.{_activeId}.{Base64Url(blob)}";
    }

    /// <summary>Decrypts; throws <see cref="CryptographicException"/> when the blob, key id or associated data do not match.</summary>
    public byte[] Decrypt(string ciphertext, ReadOnlySpan<byte> associatedData)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var parts = ciphertext.Split('.');
        if (parts.Length != 3 || parts[0] != "v1" || !_keys.TryGetValue(parts[1], out var key))
        {
            throw new CryptographicException("unknown ciphertext format or key id");
        }

        byte[] blob;
        try
        {
            blob = FromBase64Url(parts[2]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("malformed ciphertext", e);
        }

        if (blob.Length < NonceLength + TagLength)
        {
            throw new CryptographicException("ciphertext too short");
        }

        var length = blob.Length - NonceLength - TagLength;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagLength);
        aes.Decrypt(blob.AsSpan(0, NonceLength), blob.AsSpan(NonceLength, length), blob.AsSpan(NonceLength + length), plain, associatedData);
        return plain;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
