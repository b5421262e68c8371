using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Ssh;

public sealed partial class SshSession
{
    /// <summary>Source-generated log messages of SSH terminal sessions (event ids 3430-3459). No keystrokes, answers, passwords or keys.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3430, Level = LogLevel.Information,
            Message = "Session {SessionId}: connected to SSH target {TargetId}, host key {HostKey}, cipher {Cipher}, authenticated by {Method}")]
        public static partial void Connected(ILogger logger, string sessionId, string targetId, string hostKey, string cipher, string method);

        [LoggerMessage(EventId = 3431, Level = LogLevel.Warning,
            Message = "Session {SessionId}: SSH target {TargetId} presented host key {Presented}, not its pin {Pinned}; refused")]
        public static partial void HostKeyMismatch(ILogger logger, string sessionId, string targetId, string presented, string pinned);

        [LoggerMessage(EventId = 3432, Level = LogLevel.Information, Message = "Session {SessionId}: SSH target {TargetId} host key {HostKey} pinned on first use")]
        public static partial void HostKeyPinned(ILogger logger, string sessionId, string targetId, string hostKey);

        [LoggerMessage(EventId = 3433, Level = LogLevel.Warning,
            Message = "Session {SessionId}: SSH target {TargetId} has no pinned host key and trust on first use is off; refused {Presented}")]
        public static partial void HostKeyNotPinned(ILogger logger, string sessionId, string targetId, string presented);

        [LoggerMessage(EventId = 3434, Level = LogLevel.Warning,
            Message = "Session {SessionId}: SSH target {TargetId} refused the login {Login} (methods {Methods}, cancelled at a prompt: {Cancelled})")]
        public static partial void AuthenticationFailed(ILogger logger, string sessionId, string targetId, string login, string methods, bool cancelled);

        [LoggerMessage(EventId = 3435, Level = LogLevel.Warning, Message = "Session {SessionId}: SSH connection to target {TargetId} failed ({Kind}): {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string sessionId, string targetId, string kind, string reason);

        [LoggerMessage(EventId = 3436, Level = LogLevel.Information, Message = "Session {SessionId}: SSH target {TargetId}: {Description}")]
        public static partial void ShellExited(ILogger logger, string sessionId, string targetId, string description);

        [LoggerMessage(EventId = 3437, Level = LogLevel.Warning, Message = "Session {SessionId}: SSH connection to target {TargetId} lost: {Reason}")]
        public static partial void ConnectionLost(ILogger logger, string sessionId, string targetId, string reason);

        [LoggerMessage(EventId = 3438, Level = LogLevel.Warning, Message = "Session {SessionId}: SSH target {TargetId} unresponsive: {Reason}")]
        public static partial void TargetUnresponsive(ILogger logger, string sessionId, string targetId, string reason);

        [LoggerMessage(EventId = 3439, Level = LogLevel.Warning, Message = "Session {SessionId}: malformed TDP from the browser: {Error}")]
        public static partial void BrowserProtocolError(ILogger logger, string sessionId, string error);

        [LoggerMessage(EventId = 3440, Level = LogLevel.Warning,
            Message = "Session {SessionId}: the browser acknowledged {Bytes} bytes of terminal output with only {Unacknowledged} unacknowledged")]
        public static partial void BrowserOverAcknowledged(ILogger logger, string sessionId, uint bytes, long unacknowledged);

        [LoggerMessage(EventId = 3441, Level = LogLevel.Debug, Message = "Session {SessionId}: the browser sent no terminal size within {Seconds} s; opening at 80x24")]
        public static partial void NoTerminalSize(ILogger logger, string sessionId, double seconds);

        [LoggerMessage(EventId = 3442, Level = LogLevel.Information, Message = "Session {SessionId}: the user cancelled an authentication prompt of SSH target {TargetId}")]
        public static partial void PromptCancelled(ILogger logger, string sessionId, string targetId);

        [LoggerMessage(EventId = 3443, Level = LogLevel.Error,
            Message = "Session {SessionId}: SSH target {TargetId} has no pinned host key, and the gateway has no host key store to record one")]
        public static partial void NoHostKeyStore(ILogger logger, string sessionId, string targetId);
    }
}
