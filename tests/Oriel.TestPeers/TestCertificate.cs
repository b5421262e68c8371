using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Oriel.TestPeers;

/// <summary>
/// A self-signed ECDSA P-256 server certificate for "localhost" / 127.0.0.1, written as PEM files
/// (certificate, unencrypted PKCS#8 key) for servers such as Xvnc, with its SHA-256 fingerprint
/// for pinning in clients.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        Sha256 = certificate.GetCertHash(HashAlgorithmName.SHA256);
    }

    /// <summary>The certificate (with its private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>PEM "CERTIFICATE" file.</summary>
    public string CertificatePath { get; }

    /// <summary>PEM "PRIVATE KEY" (PKCS#8) file.</summary>
    public string KeyPath { get; }

    /// <summary>SHA-256 over the DER certificate: what a pinning client compares.</summary>
    public byte[] Sha256 { get; }

    /// <summary>The fingerprint as uppercase hex without separators.</summary>
    public string Sha256Hex => Convert.ToHexString(Sha256);

    /// <summary>True when <paramref name="presented"/> is this certificate (by SHA-256).</summary>
    public bool Matches(X509Certificate? presented) =>
        presented is not null &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented.GetRawCertData()), Sha256);

    /// <summary>Creates the certificate and writes <c>cert.pem</c> and <c>key.pem</c> into <paramref name="directory"/>.</summary>
    public static TestCertificate Create(string directory, string commonName = "localhost")
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(commonName);
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new TestCertificate(certificate, certPath, keyPath);
    }

    public void Dispose() => Certificate.Dispose();
}
