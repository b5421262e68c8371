namespace Oriel.Gateway.Ssh;

/// <summary>A server's host key as presented in key exchange.</summary>
/// <param name="Algorithm">The host key algorithm name ("ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512").</param>
/// <param name="FingerprintSha256">As <c>ssh-keygen -l</c> prints it: "SHA256:" then unpadded base64 of the SHA-256 of the key blob. Pins are compared as this text, ordinally.</param>
/// <param name="Bits">Key length in bits.</param>
public sealed record SshHostKey(string Algorithm, string FingerprintSha256, int Bits)
{
    public override string ToString() => $"{Algorithm} {FingerprintSha256}";
}
