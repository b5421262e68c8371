namespace Oriel.Gateway.Ssh;

/// <summary>A login's secrets from the vault, decrypted for one connection attempt. <see cref="ToString"/> shows none of them.</summary>
/// <param name="Password">For "password" and for keyboard-interactive prompts that ask for it (no echo, text containing "password").</param>
/// <param name="PrivateKey">An OpenSSH-format private key (PEM text: "-----BEGIN OPENSSH PRIVATE KEY-----", or PKCS#1/#8 PEM), for "publickey".</param>
/// <param name="PrivateKeyPassphrase">The private key's passphrase when it is encrypted.</param>
public sealed record SshCredentials(string? Password, string? PrivateKey, string? PrivateKeyPassphrase)
{
    public static SshCredentials None { get; } = new(null, null, null);

    public override string ToString() =>
        $"SshCredentials(password: {(Password is null ? "no" : "yes")}, key: {(PrivateKey is null ? "no" : "yes")})";
}
