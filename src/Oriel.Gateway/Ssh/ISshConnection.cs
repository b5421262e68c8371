namespace Oriel.Gateway.Ssh;

/// <summary>An authenticated SSH connection to one target. Disposing it disconnects.</summary>
public interface ISshConnection : IAsyncDisposable
{
    /// <summary>What was negotiated (for the session's audit and the user's info panel).</summary>
    SshConnectionInfo Info { get; }

    /// <summary>Opens a session channel with a pseudo-terminal and a shell (RFC 4254 6.2, 6.5). Throws <see cref="SshFailure"/>.</summary>
    Task<ISshTerminal> OpenTerminalAsync(SshPtyRequest pty, CancellationToken ct);

    /// <summary>
    /// Proves the server is alive: sends a request that needs a reply (a global "keepalive@openssh.com" with
    /// want-reply; any reply, success or failure, proves it) and completes when it arrives. Throws
    /// <see cref="SshFailure"/> (<see cref="SshFailureKind.ConnectionLost"/>) when the connection is gone; the caller
    /// applies its own deadline through <paramref name="ct"/>. SSH.NET's keepalive (an IGNORE message) proves nothing.
    /// While the gateway itself holds the connection's reader back (a terminal whose output buffer is full, see
    /// <see cref="ISshTerminal.IsBackpressured"/>) no reply can be read, so callers do not count that time.
    /// </summary>
    Task PingAsync(CancellationToken ct);

    /// <summary>Completes when the connection is lost or closed, with the reason as a sentence (never faults).</summary>
    Task<string> Closed { get; }
}
