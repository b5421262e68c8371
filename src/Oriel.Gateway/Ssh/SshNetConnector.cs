using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// Oriel's SSH client over SSH.NET (Renci.SshNet 2026.0.1): the only place, with the other <c>SshNet*</c> files, that
/// names the library.
/// </summary>
public sealed class SshNetConnector : ISshConnector
{
    private readonly ILoggerFactory _loggers;

    public SshNetConnector(ILoggerFactory loggers) => _loggers = loggers;

    public Task<ISshConnection> ConnectAsync(SshConnectRequest request, CancellationToken ct) =>
        throw new NotImplementedException();

    public Task<ISftpSession> ConnectSftpAsync(SshConnectRequest request, CancellationToken ct) =>
        throw new NotImplementedException();
}
