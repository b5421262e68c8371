using System.Security.Cryptography;
using System.Text;
using Oriel.Gateway.Security;

namespace Oriel.Gateway.Tests;

public sealed class SecurityTests
{
    [Fact]
    public void DefaultIterations_AreOwasp600k()
    {
        Assert.Equal(600_000, PasswordHasher.DefaultIterations);
        Assert.Equal(600_000, new PasswordHasher().Iterations);
    }

    [Fact]
    public void Hash_HasSelfDescribingFormat_AndVerifies()
    {
        var hasher = new PasswordHasher(1000);
        var h = hasher.Hash("correct horse battery");
        var parts = h.Split('$');
        Assert.Equal(["", "pbkdf2-sha256", "i=1000"], parts[..3]);
        Assert.Equal(16, Convert.FromBase64String(parts[3] + "==").Length);
        Assert.Equal(32, Convert.FromBase64String(parts[4] + "=").Length);
        Assert.NotEqual(h, hasher.Hash("correct horse battery")); // salted
        Assert.Equal(PasswordVerification.Success, hasher.Verify("correct horse battery", h));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify("correct horse batterY", h));
        Assert.Equal(PasswordVerification.SuccessRehashNeeded, new PasswordHasher(2000).Verify("correct horse battery", h));
    }

    [Fact]
    public void KnownVector_Pbkdf2Sha256()
    {
        // RFC 7914 section 11 vector: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64 (first 32 bytes here).
        var encoded = "$pbkdf2-sha256$i=1$" + Convert.ToBase64String("saltsalt"u8).TrimEnd('=') + "$";
        var dk = Rfc2898DeriveBytes.Pbkdf2("passwd"u8, "salt"u8, 1, HashAlgorithmName.SHA256, 64);
        Assert.Equal("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc", Convert.ToHexStringLower(dk.AsSpan(0, 32)));
        var hash = Rfc2898DeriveBytes.Pbkdf2("passwd"u8, "saltsalt"u8, 1, HashAlgorithmName.SHA256, 32);
        Assert.Equal(PasswordVerification.Success, new PasswordHasher(1).Verify("passwd", encoded + Convert.ToBase64String(hash).TrimEnd('=')));
    }

    [Fact]
    public void MalformedOrHostileHashes_NeverVerify_NeverThrow()
    {
        var hasher = new PasswordHasher(1000);
        var good = hasher.Hash("password-1234");
        string[] bad =
        [
            "", "$", "$pbkdf2-sha256$", "$pbkdf2-sha256$i=$a$b", "$pbkdf2-sha256$i=0$AAAAAAAAAAAAAAAAAAAAAA$" + new string('A', 43),
            "$pbkdf2-sha256$i=99999999999$AAAA$AAAA", "$pbkdf2-sha256$i=-5$AAAA$AAAA", "$pbkdf2-sha256$i=1000$!!!$???",
            "$pbkdf2-sha1$i=1000$AAAAAAAAAAAAAAAAAAAAAA$" + new string('A', 43), good + "$extra", good[..^4],
        ];
        foreach (var h in bad)
        {
            Assert.Equal(PasswordVerification.Failed, hasher.Verify("password-1234", h));
        }

        var rng = new Random(1234);
        for (var i = 0; i < 300; i++)
        {
            var chars = good.ToCharArray();
            for (var k = 0; k < 1 + rng.Next(4); k++)
            {
                chars[rng.Next(chars.Length)] = (char)rng.Next(32, 127);
            }

            var mutated = new string(chars);
            var result = hasher.Verify("password-1234", mutated);
            Assert.True(result is PasswordVerification.Failed or PasswordVerification.Success, mutated);
        }
    }

    [Fact]
    public void KeyRing_RoundTrips_AndRejectsWrongAssociatedData_OrTampering()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "secret.key");
            var ring = SecretKeyRing.LoadOrCreate(path);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
            var blob = ring.Encrypt("hunter2"u8, "ad-1"u8);
            Assert.StartsWith($"v1.{ring.ActiveKeyId}.", blob, StringComparison.Ordinal);
            Assert.Equal("hunter2", Encoding.UTF8.GetString(SecretKeyRing.LoadOrCreate(path).Decrypt(blob, "ad-1"u8)));
            Assert.ThrowsAny<CryptographicException>(() => ring.Decrypt(blob, "ad-2"u8));
            var flipped = blob[..^2] + (blob[^2] == 'A' ? 'B' : 'A') + blob[^1];
            Assert.ThrowsAny<CryptographicException>(() => ring.Decrypt(flipped, "ad-1"u8));
            Assert.ThrowsAny<CryptographicException>(() => ring.Decrypt("v1.nokey." + blob.Split('.')[2], "ad-1"u8));
            Assert.ThrowsAny<CryptographicException>(() => ring.Decrypt("v1." + ring.ActiveKeyId + ".AAAA", "ad-1"u8));

            // A different key file cannot decrypt.
            var other = SecretKeyRing.LoadOrCreate(Path.Combine(dir, "other.key"));
            Assert.ThrowsAny<CryptographicException>(() => other.Decrypt(blob, "ad-1"u8));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void KeyRing_RejectsMalformedFiles()
    {
        Assert.Throws<InvalidDataException>(() => SecretKeyRing.Parse("", "x"));
        Assert.Throws<InvalidDataException>(() => SecretKeyRing.Parse("oriel-key-v1 k1 AAAA", "x"));
        Assert.Throws<InvalidDataException>(() => SecretKeyRing.Parse("garbage", "x"));
        var ok = SecretKeyRing.Parse("# comment\noriel-key-v1 k2 " + Convert.ToBase64String(new byte[32]) + "\n", "x");
        Assert.Equal("k2", ok.ActiveKeyId);
    }
}
