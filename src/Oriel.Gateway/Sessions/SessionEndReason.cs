namespace Oriel.Gateway.Sessions;

/// <summary>Why a session ended. Each has a short, stable code (audit, WebSocket close reason) and a sentence for the user.</summary>
public enum SessionEndReason
{
    UserDisconnected,
    TargetClosed,
    TargetUnreachable,
    AuthenticationFailed,
    TargetProtocolError,
    BrowserProtocolError,
    TlsFailed,
    Terminated,
    GatewayShutdown,
    InternalError,

    /// <summary>The target stopped answering: no handshake in time, silent mid-message, or no answer to a liveness probe.</summary>
    TargetUnresponsive,

    /// <summary>The session's recording could not be opened or written, and its role requires recording (Recordings/).</summary>
    RecordingFailed,
}
