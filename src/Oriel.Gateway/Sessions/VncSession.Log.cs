using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Sessions;

public sealed partial class VncSession
{
    /// <summary>Source-generated log messages of VNC sessions (event ids 3100-3199). No keystrokes, clipboard or secrets.</summary>
    internal static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Session {SessionId}: connected to VNC target {TargetId}, desktop {Width}x{Height}")]
        public static partial void TargetConnected(ILogger logger, string sessionId, string targetId, int width, int height);


        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Session {SessionId}: malformed data from VNC target {TargetId}: {Error}")]
        public static partial void TargetProtocolError(ILogger logger, string sessionId, string targetId, string error);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Session {SessionId}: malformed TDP from the browser: {Error}")]
        public static partial void BrowserProtocolError(ILogger logger, string sessionId, string error);

        [LoggerMessage(EventId = 3150, Level = LogLevel.Debug, Message = "Session {SessionId}: VNC target {TargetId} silent for {Seconds} s; sent a 1x1 update request to check it is there")]
        public static partial void TargetProbed(ILogger logger, string sessionId, string targetId, double seconds);

        [LoggerMessage(EventId = 3151, Level = LogLevel.Warning, Message = "Session {SessionId}: VNC target {TargetId} unresponsive: {Reason}")]
        public static partial void TargetUnresponsive(ILogger logger, string sessionId, string targetId, string reason);
    }
}
