namespace Oriel.Gateway.Sessions;

/// <summary>Stable codes and user-facing wording for <see cref="SessionEndReason"/>.</summary>
public static class SessionEndReasons
{
    public static string Code(SessionEndReason reason) => reason switch
    {
        SessionEndReason.UserDisconnected => "user-disconnected",
        SessionEndReason.TargetClosed => "target-closed",
        SessionEndReason.TargetUnreachable => "target-unreachable",
        SessionEndReason.AuthenticationFailed => "target-authentication-failed",
        SessionEndReason.TargetProtocolError => "target-protocol-error",
        SessionEndReason.BrowserProtocolError => "browser-protocol-error",
        SessionEndReason.TlsFailed => "target-tls-failed",
        SessionEndReason.TargetUnresponsive => "target-unresponsive",
        SessionEndReason.Terminated => "terminated",
        SessionEndReason.GatewayShutdown => "gateway-shutdown",
        SessionEndReason.RecordingFailed => "recording-failed",
        _ => "internal-error",
    };

    /// <summary>WebSocket close status for a reason: normal for orderly ends, policy/protocol codes otherwise.</summary>
    public static System.Net.WebSockets.WebSocketCloseStatus CloseStatus(SessionEndReason reason) => reason switch
    {
        SessionEndReason.UserDisconnected or SessionEndReason.TargetClosed => System.Net.WebSockets.WebSocketCloseStatus.NormalClosure,
        SessionEndReason.BrowserProtocolError => System.Net.WebSockets.WebSocketCloseStatus.ProtocolError,
        SessionEndReason.Terminated => System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation,
        SessionEndReason.GatewayShutdown => System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable,
        _ => System.Net.WebSockets.WebSocketCloseStatus.InternalServerError,
    };
}
