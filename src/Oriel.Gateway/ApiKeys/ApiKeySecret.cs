using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.ApiKeys;

/// <summary>
/// The form of an API key secret: <c>oriel_</c> followed by 32 random bytes in base64url without padding
/// (RFC 4648 §5; 43 characters). The marker makes keys easy to recognise in code and in secret scanners; the
/// first <see cref="PrefixLength"/> characters after it are stored in clear to find the key's row; the whole
/// secret is stored only as its SHA-256.
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "oriel_";

    public const int RandomBytes = 32;

    /// <summary>Characters of base64url for <see cref="RandomBytes"/> bytes, unpadded.</summary>
    public const int EncodedLength = 43;

    public const int Length = 6 + EncodedLength;

    /// <summary>Characters after the marker kept in clear (48 of the 256 bits).</summary>
    public const int PrefixLength = 8;

    /// <summary>How listings show a key: "oriel_PREFIX…" (enough to recognise it, useless to use it).</summary>
    public static string Display(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Marker + key.Prefix + "…";
    }

    /// <summary>A new random secret.</summary>
    public static string New() => Marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>
    /// True when <paramref name="secret"/> has the form of a key (marker, length, canonical base64url); then
    /// <paramref name="prefix"/> is its lookup prefix. Reads nothing beyond <see cref="Length"/> characters.
    /// </summary>
    public static bool TryGetPrefix(ReadOnlySpan<char> secret, out string prefix)
    {
        prefix = "";
        if (secret.Length != Length || !secret.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }

        var body = secret[Marker.Length..];
        Span<byte> bytes = stackalloc byte[RandomBytes + 2];
        if (Base64Url.DecodeFromChars(body, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != EncodedLength || written != RandomBytes)
        {
            return false;
        }

        // Canonical only: the last character carries 2 unused bits that must be zero, so one key has one spelling.
        Span<char> again = stackalloc char[EncodedLength];
        if (!Base64Url.TryEncodeToChars(bytes[..RandomBytes], again, out var n) || n != EncodedLength || !again.SequenceEqual(body))
        {
            return false;
        }

        prefix = new string(body[..PrefixLength]);
        return true;
    }

    /// <summary>SHA-256 of the secret's UTF-8 bytes.</summary>
    public static byte[] Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary><see cref="Hash"/> as stored: lowercase hex.</summary>
    public static string HashHex(string secret) => Convert.ToHexStringLower(Hash(secret));

    /// <summary>Compares a presented secret's hash with a stored one in time independent of where they differ.</summary>
    public static bool Matches(ReadOnlySpan<byte> presentedHash, string storedHashHex)
    {
        ArgumentNullException.ThrowIfNull(storedHashHex);
        Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
        if (storedHashHex.Length != SHA256.HashSizeInBytes * 2
            || Convert.FromHexString(storedHashHex, stored, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != stored.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presentedHash, stored);
    }
}
