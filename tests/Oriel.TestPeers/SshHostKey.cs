namespace Oriel.TestPeers;

/// <summary>One host key of an <see cref="SshdServer"/>, as a client would pin it.</summary>
/// <param name="Algorithm">The key type as the public key file names it (<c>ssh-ed25519</c>, <c>ecdsa-sha2-nistp256</c>, <c>ssh-rsa</c>).</param>
/// <param name="PublicKeyBlob">The public key blob (RFC 4253 section 6.6 encoding), as sent in the server's KEXDH reply.</param>
/// <param name="Sha256Fingerprint">The fingerprint as <c>ssh-keygen -lf</c> prints it: <c>SHA256:</c> and unpadded base64 of SHA-256 of the blob.</param>
/// <param name="PublicKeyPath">The <c>.pub</c> file.</param>
public sealed record SshHostKey(string Algorithm, byte[] PublicKeyBlob, string Sha256Fingerprint, string PublicKeyPath)
{
    /// <summary>The public key line (<c>algorithm base64</c>) without a comment.</summary>
    public string PublicKeyLine => $"{Algorithm} {Convert.ToBase64String(PublicKeyBlob)}";
}
