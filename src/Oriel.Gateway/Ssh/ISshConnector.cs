namespace Oriel.Gateway.Ssh;

/// <summary>
/// Oriel's SSH client, as the gateway uses it: connects to a target with the algorithms Oriel allows, checks the host
/// key through <see cref="SshConnectRequest.AcceptHostKey"/>, and authenticates with the vault's credentials (or the
/// user's answers through <see cref="SshConnectRequest.Prompter"/>). The only implementation wraps SSH.NET
/// (<c>SshNetConnector</c>); nothing else in the gateway names that library, so it can be replaced here alone.
/// </summary>
public interface ISshConnector
{
    /// <summary>Connects and authenticates; throws <see cref="SshFailure"/> with a sentence for the user.</summary>
    Task<ISshConnection> ConnectAsync(SshConnectRequest request, CancellationToken ct);

    /// <summary>
    /// Connects a separate SSH connection for file transfer and opens its SFTP subsystem (same host key check and
    /// credentials; no prompter: answers typed by the user are not asked for twice). Throws <see cref="SshFailure"/>.
    /// </summary>
    Task<ISftpSession> ConnectSftpAsync(SshConnectRequest request, CancellationToken ct);
}
