using System.Security.Cryptography;
using System.Text;

namespace Oriel.Gateway.Security;

/// <summary>Random tokens and ids.</summary>
public static class Secrets
{
    private const string PasswordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A random password without look-alike characters (about 5.8 bits a character).</summary>
    public static string NewPassword(int length = 20) => RandomNumberGenerator.GetString(PasswordAlphabet, length);

    /// <summary>A random url-safe token of <paramref name="bytes"/> bytes.</summary>
    public static string NewToken(int bytes = 32) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string NewUserId() => "u_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
