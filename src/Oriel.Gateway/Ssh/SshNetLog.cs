using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Ssh;

/// <summary>Log messages of the SSH.NET client (event ids 3400-3429). Never a password, a key, a passphrase or terminal data.</summary>
internal static partial class SshNetLog
{
    [LoggerMessage(3400, LogLevel.Information, "SSH connected to {Endpoint} as {User}: {ServerVersion}, kex {Kex}, host key {HostKey}, cipher {Cipher}, auth {Method}")]
    public static partial void Connected(ILogger logger, string endpoint, string user, string serverVersion, string kex, string hostKey, string cipher, string method);

    [LoggerMessage(3401, LogLevel.Warning, "SSH connection to {Endpoint} failed ({Kind}): {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, SshFailureKind kind, string reason, Exception exception);

    [LoggerMessage(3402, LogLevel.Warning, "SSH host key of {Endpoint} refused: {HostKey}")]
    public static partial void HostKeyRefused(ILogger logger, string endpoint, string hostKey);

    [LoggerMessage(3403, LogLevel.Information, "SSH connection to {Endpoint} closed: {Reason}")]
    public static partial void Closed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(3404, LogLevel.Information, "SSH terminal on {Endpoint} opened ({Term}, {Columns}x{Rows})")]
    public static partial void TerminalOpened(ILogger logger, string endpoint, string term, int columns, int rows);

    [LoggerMessage(3405, LogLevel.Information, "SSH terminal on {Endpoint} ended: {Exit}")]
    public static partial void TerminalEnded(ILogger logger, string endpoint, string exit);

    [LoggerMessage(3406, LogLevel.Debug, "SSH terminal on {Endpoint}: output buffer full, holding the connection's reader")]
    public static partial void Backpressure(ILogger logger, string endpoint);

    [LoggerMessage(3407, LogLevel.Warning, "SSH terminal on {Endpoint}: sending input failed: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(3408, LogLevel.Information, "SFTP connected to {Endpoint} as {User}, home {Home}")]
    public static partial void SftpConnected(ILogger logger, string endpoint, string user, string home);

    [LoggerMessage(3409, LogLevel.Warning, "SFTP {Operation} on {Endpoint} failed ({Kind}): {Reason}")]
    public static partial void SftpFailed(ILogger logger, string operation, string endpoint, SftpFailureKind kind, string reason);

    [LoggerMessage(3410, LogLevel.Information, "SSH authentication to {Endpoint}: asking the user ({Purpose})")]
    public static partial void Prompting(ILogger logger, string endpoint, string purpose);

    [LoggerMessage(3411, LogLevel.Warning, "SSH channel error on {Endpoint}: {Reason}")]
    public static partial void ChannelError(ILogger logger, string endpoint, string reason);

    [LoggerMessage(3412, LogLevel.Debug, "SSH liveness request to {Endpoint} answered")]
    public static partial void PingAnswered(ILogger logger, string endpoint);
}
