namespace Oriel.TestPeers;

/// <summary>A client key pair made by <c>ssh-keygen</c> (OpenSSH private key format) for public-key logins to an <see cref="SshdServer"/>.</summary>
/// <param name="PrivateKeyPath">The private key file (mode 0600, as ssh requires).</param>
/// <param name="PublicKeyLine">The public key line (<c>ssh-ed25519 base64 comment</c>).</param>
/// <param name="Passphrase">The passphrase protecting the private key; null when it is unprotected.</param>
public sealed record SshClientKey(string PrivateKeyPath, string PublicKeyLine, string? Passphrase)
{
    /// <summary>The private key file's text (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c> ...).</summary>
    public string ReadPrivateKey() => File.ReadAllText(PrivateKeyPath);
}
