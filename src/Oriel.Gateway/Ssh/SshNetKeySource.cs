using Renci.SshNet;
using Renci.SshNet.Security;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// A private key as SSH.NET offers it for "publickey", without the SHA-1 signature algorithm: an RSA key is offered
/// as rsa-sha2-512 and rsa-sha2-256 only, never "ssh-rsa" (RFC 8332).
/// </summary>
internal sealed class SshNetKeySource : IPrivateKeySource, IDisposable
{
    private readonly PrivateKeyFile _file;

    public SshNetKeySource(PrivateKeyFile file)
    {
        _file = file;
        HostKeyAlgorithms = file.HostKeyAlgorithms
            .Where(a => a.Name is not "ssh-rsa" and not "ssh-dss" && !a.Name.StartsWith("ssh-rsa-cert", StringComparison.Ordinal))
            .ToArray();
    }

    public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; }

    public void Dispose() => _file.Dispose();
}
