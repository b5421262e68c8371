using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Oriel.Gateway.Security;

/// <summary>
/// PBKDF2-HMAC-SHA256 password hashing (OWASP Password Storage Cheat Sheet: 600,000 iterations), 16-byte random
/// salt, 32-byte output, stored as <c>$pbkdf2-sha256$i=ITERATIONS$SALT$HASH</c> (PHC-like; unpadded base64) so the
/// parameters travel with the hash and can be raised later: a hash with fewer iterations than current verifies
/// as <see cref="PasswordVerification.SuccessRehashNeeded"/>. Comparison is constant-time.
/// </summary>
public sealed class PasswordHasher
{
    public const int DefaultIterations = 600_000;
    public const int SaltLength = 16;
    public const int HashLength = 32;

    /// <summary>Stored hashes claiming more iterations than this are rejected (a hostile hash must not stall sign-in).</summary>
    public const int MaxIterations = 10_000_000;

    private const string Prefix = "$pbkdf2-sha256$i=";

    private readonly Lazy<string> _dummyHash;

    private long _verifications;

    public PasswordHasher()
        : this(DefaultIterations)
    {
    }

    /// <summary>Test hook: tests lower the iteration count to stay fast. Production code uses the default.</summary>
    internal PasswordHasher(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        Iterations = iterations;
        _dummyHash = new Lazy<string>(() => Hash(Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
    }

    public int Iterations { get; }

    /// <summary>
    /// How many passwords were checked against a hash (each one a full PBKDF2 run) since this instance was made: the
    /// guessing load that got past the sign-in throttle. Tests use it to show the throttle bounds that load.
    /// </summary>
    public long VerificationCount => Interlocked.Read(ref _verifications);

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        Span<byte> salt = stackalloc byte[SaltLength];
        RandomNumberGenerator.Fill(salt);
        var hash = Derive(password, salt, Iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Iterations}${B64(salt)}${B64(hash)}");
    }

    public PasswordVerification Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(encoded, out var iterations, out var salt, out var expected))
        {
            return PasswordVerification.Failed;
        }

        Interlocked.Increment(ref _verifications);
        var actual = Derive(password, salt, iterations);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordVerification.Failed;
        }

        return iterations < Iterations ? PasswordVerification.SuccessRehashNeeded : PasswordVerification.Success;
    }

    /// <summary>Spends the same time as a real check, for unknown usernames (no timing oracle).</summary>
    public void VerifyDummy(string password) => _ = Verify(password ?? "", _dummyHash.Value);

    /// <summary>True when <paramref name="encoded"/> is a well-formed hash this class can verify.</summary>
    public static bool IsWellFormed(string? encoded) => TryParse(encoded, out _, out _, out _);

    private static bool TryParse(string? encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        if (encoded is null || encoded.Length > 256 || !encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations is < 1 or > MaxIterations)
        {
            return false;
        }

        try
        {
            salt = UnB64(parts[1]);
            hash = UnB64(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length == HashLength;
    }

    private static byte[] Derive(string password, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashLength);

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] UnB64(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
