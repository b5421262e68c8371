using Oriel.Gateway.Ssh;

namespace Oriel.Gateway.Tests;

/// <summary>An <see cref="ISshConnector"/> whose SFTP sessions are <see cref="DirectorySftpSession"/>s over one directory; no terminals.</summary>
internal sealed class DirectorySftpConnector(string root) : ISshConnector
{
    private readonly List<DirectorySftpSession> _opened = [];

    /// <summary>The SFTP sessions connected so far.</summary>
    public IReadOnlyList<DirectorySftpSession> Opened
    {
        get
        {
            lock (_opened)
            {
                return [.. _opened];
            }
        }
    }

    /// <summary>Given to the sessions connected from now on (<see cref="DirectorySftpSession.WriteGate"/>).</summary>
    public Task? WriteGate { get; set; }

    /// <summary>When set, connecting fails with this.</summary>
    public SshFailure? Failure { get; set; }

    public Task<ISshConnection> ConnectAsync(SshConnectRequest request, CancellationToken ct) =>
        throw new NotSupportedException("only SFTP");

    public Task<ISftpSession> ConnectSftpAsync(SshConnectRequest request, CancellationToken ct)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }
        var session = new DirectorySftpSession(root) { WriteGate = WriteGate };
        lock (_opened)
        {
            _opened.Add(session);
        }
        return Task.FromResult<ISftpSession>(session);
    }
}
