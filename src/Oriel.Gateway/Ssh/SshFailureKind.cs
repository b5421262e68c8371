namespace Oriel.Gateway.Ssh;

/// <summary>Why an SSH operation failed, so the session can pick its end reason.</summary>
public enum SshFailureKind
{
    /// <summary>No TCP connection, or it closed before the SSH handshake finished.</summary>
    Unreachable,
    /// <summary>No algorithm in common (the server offers only what Oriel refuses, such as CBC or SHA-1).</summary>
    AlgorithmNegotiation,
    /// <summary>The host key was refused by <see cref="SshConnectRequest.AcceptHostKey"/> (not the pinned key).</summary>
    HostKeyRefused,
    /// <summary>Every allowed authentication method failed, or the user cancelled a prompt.</summary>
    AuthenticationFailed,
    /// <summary>The server refused to open the channel, the pty or the shell.</summary>
    ChannelRefused,
    /// <summary>The connection broke after it was established.</summary>
    ConnectionLost,
    /// <summary>Connect, key exchange or a reply took longer than allowed.</summary>
    Timeout,
    /// <summary>The server sent something the client could not accept.</summary>
    ProtocolError,
}
