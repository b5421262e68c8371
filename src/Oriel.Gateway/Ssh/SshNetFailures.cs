using System.Net.Sockets;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// Turns SSH.NET's and the socket's exceptions into <see cref="SshFailure"/> / <see cref="SftpFailure"/> with sentences a
/// user understands. The library's own messages are not shown (they may name internals); only algorithm lists the
/// server offered, which are public, are quoted.
/// </summary>
internal static class SshNetFailures
{
    /// <summary>A failure while connecting (TCP, key exchange, authentication).</summary>
    public static SshFailure Connect(Exception e, string endpoint, string user)
    {
        switch (e)
        {
            case SshFailure failure:
                return failure;
            case SocketException socket:
                return new SshFailure(SshFailureKind.Unreachable, $"Could not connect to the SSH server at {endpoint}: {Describe(socket.SocketErrorCode)}.", e);
            case SshPassPhraseNullOrEmptyException:
                return new SshFailure(SshFailureKind.AuthenticationFailed, "The stored private key is protected by a passphrase, and no passphrase is stored with it.", e);
            case SshAuthenticationException:
                return new SshFailure(SshFailureKind.AuthenticationFailed, $"The SSH server at {endpoint} refused the login for {user}.", e);
            case SshOperationTimeoutException:
            case TimeoutException:
                return new SshFailure(SshFailureKind.Timeout, $"The SSH server at {endpoint} did not answer in time.", e);
            case SshConnectionException connection when connection.Message.StartsWith("Host key could not be verified", StringComparison.Ordinal):
                return new SshFailure(SshFailureKind.ProtocolError, $"The SSH server at {endpoint} failed to prove that it holds its host key.", e);
            case SshConnectionException connection when connection.DisconnectReason == DisconnectReason.KeyExchangeFailed
                                                       || connection.Message.StartsWith("No matching", StringComparison.Ordinal):
                return Negotiation(connection, endpoint);
            case SshConnectionException connection when connection.DisconnectReason == DisconnectReason.NoMoreAuthenticationMethodsAvailable:
                return new SshFailure(SshFailureKind.AuthenticationFailed, $"The SSH server at {endpoint} refused the login for {user}.", e);
            case SshConnectionException connection when connection.DisconnectReason == DisconnectReason.ProtocolVersionNotSupported:
                return new SshFailure(SshFailureKind.ProtocolError, $"The server at {endpoint} does not speak SSH version 2.", e);
            case SshConnectionException:
                return new SshFailure(SshFailureKind.Unreachable, $"The SSH server at {endpoint} closed the connection before the login finished.", e);
            case ObjectDisposedException:
                return new SshFailure(SshFailureKind.Unreachable, $"The connection to {endpoint} was closed before the login finished.", e);
            case SshException when e.Message.Contains("private key", StringComparison.OrdinalIgnoreCase)
                                   || e.Message.Contains("passphrase", StringComparison.OrdinalIgnoreCase)
                                   || e.Message.Contains("key format", StringComparison.OrdinalIgnoreCase)
                                   || e.Message.Contains("cipher", StringComparison.OrdinalIgnoreCase):
                return new SshFailure(SshFailureKind.AuthenticationFailed, "The stored private key could not be read: the passphrase is wrong or the key's format is not supported.", e);
            case SshException:
                return new SshFailure(SshFailureKind.ProtocolError, $"The SSH connection to {endpoint} failed: the server sent something the client could not accept.", e);
            default:
                return new SshFailure(SshFailureKind.ProtocolError, $"The SSH connection to {endpoint} failed.", e);
        }
    }

    /// <summary>A failure once connected (channel requests, data, pings).</summary>
    public static SshFailure Established(Exception e, string endpoint) => e switch
    {
        SshFailure failure => failure,
        SshOperationTimeoutException => new SshFailure(SshFailureKind.Timeout, $"The SSH server at {endpoint} did not answer in time.", e),
        SshConnectionException or SocketException or ObjectDisposedException =>
            new SshFailure(SshFailureKind.ConnectionLost, $"The connection to the SSH server at {endpoint} was lost.", e),
        InvalidOperationException => new SshFailure(SshFailureKind.ConnectionLost, $"The SSH channel to {endpoint} is closed.", e),
        _ => new SshFailure(SshFailureKind.ProtocolError, $"The SSH connection to {endpoint} failed.", e),
    };

    /// <summary>The sentence for a connection that ended (the session's ErrorOccurred).</summary>
    public static string Lost(Exception e, string endpoint) => e switch
    {
        SshConnectionException { DisconnectReason: DisconnectReason.ByApplication } => $"The SSH server at {endpoint} closed the connection.",
        SshConnectionException c when c.Message.Contains("aborted by the server", StringComparison.Ordinal) => $"The SSH server at {endpoint} closed the connection.",
        SshConnectionException { InnerException: SocketException s } => $"The connection to the SSH server at {endpoint} was lost: {Describe(s.SocketErrorCode)}.",
        SocketException s => $"The connection to the SSH server at {endpoint} was lost: {Describe(s.SocketErrorCode)}.",
        _ => $"The connection to the SSH server at {endpoint} was lost.",
    };

    /// <summary>An SFTP failure.</summary>
    public static SftpFailure Sftp(Exception e, string path) => e switch
    {
        SftpFailure failure => failure,
        SftpPathNotFoundException => new SftpFailure(SftpFailureKind.NotFound, $"\"{path}\" does not exist on the server.", e),
        SftpPermissionDeniedException => new SftpFailure(SftpFailureKind.PermissionDenied, $"The server does not allow this on \"{path}\".", e),
        SshConnectionException or SocketException or ObjectDisposedException =>
            new SftpFailure(SftpFailureKind.Failed, "The file transfer connection was lost.", e),
        SshOperationTimeoutException => new SftpFailure(SftpFailureKind.Failed, "The server did not answer the file operation in time.", e),
        SshException => new SftpFailure(SftpFailureKind.Failed, $"The server could not do this on \"{path}\".", e),
        IOException => new SftpFailure(SftpFailureKind.Failed, $"The file transfer of \"{path}\" failed.", e),
        _ => new SftpFailure(SftpFailureKind.Failed, $"The file operation on \"{path}\" failed.", e),
    };

    private static SshFailure Negotiation(SshConnectionException e, string endpoint)
    {
        // SSH.NET's message: "No matching client encryption algorithm (server offers a,b,c)".
        var text = e.Message;
        var what = text.Contains("host key", StringComparison.Ordinal) ? "host key algorithm"
            : text.Contains("encryption", StringComparison.Ordinal) ? "cipher"
            : text.Contains("MAC", StringComparison.Ordinal) ? "message authentication (MAC) algorithm"
            : text.Contains("compression", StringComparison.Ordinal) ? "compression setting"
            : text.Contains("key exchange", StringComparison.OrdinalIgnoreCase) ? "key exchange algorithm"
            : "algorithm";
        var offers = "";
        var open = text.IndexOf("(server offers ", StringComparison.Ordinal);
        if (open >= 0)
        {
            var list = text[(open + "(server offers ".Length)..].TrimEnd(')');
            if (list.Length <= 400 && list.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '@' or '.' or ',' or '_')) offers = $" (it offers {list.Replace(",", ", ", StringComparison.Ordinal)})";
        }
        return new SshFailure(SshFailureKind.AlgorithmNegotiation,
            $"The SSH server at {endpoint} offers no {what} that Oriel accepts{offers}. Oriel needs AES-GCM, ChaCha20-Poly1305 or AES-CTR with SHA-2 MACs, and refuses CBC, SHA-1 and MD5.", e);
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "the connection was refused",
        SocketError.TimedOut => "the connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name is not known",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "the host cannot be reached",
        SocketError.ConnectionReset => "the connection was reset",
        SocketError.ConnectionAborted => "the connection was aborted",
        _ => "a network error occurred",
    };
}
