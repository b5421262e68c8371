namespace Oriel.Rfb;

/// <summary>Where the client is in the RFB protocol, named after the phases of [RFC 6143] 7.1-7.3 and rfbproto "VeNCrypt".</summary>
public enum RfbPhase
{
    /// <summary>Waiting for the server's ProtocolVersion (7.1.1).</summary>
    ProtocolVersion,

    /// <summary>Waiting for the security types (3.7+) or the server's choice (3.3) (7.1.2).</summary>
    Security,

    /// <summary>Waiting for the 16-byte VNC Authentication challenge (7.2.2).</summary>
    VncAuthentication,

    /// <summary>Waiting for the server's VeNCrypt version.</summary>
    VeNCryptVersion,

    /// <summary>Waiting for the server's VeNCrypt version acknowledgement.</summary>
    VeNCryptVersionAck,

    /// <summary>Waiting for the VeNCrypt subtype list.</summary>
    VeNCryptSubtypes,

    /// <summary>Waiting for the server to accept the chosen TLS/X509 subtype.</summary>
    VeNCryptSubtypeAck,

    /// <summary>Paused: the driver must run a TLS handshake and then call <see cref="RfbClient.TlsEstablished"/>.</summary>
    TlsHandshake,

    /// <summary>Waiting for SecurityResult (7.1.3).</summary>
    SecurityResult,

    /// <summary>
    /// Security succeeded and <see cref="RfbClientOptions.StopAfterSecurity"/> is set: the engine sent no
    /// ClientInit and processes nothing more; the caller owns the stream (<see cref="RfbClient.TakeUnprocessedInput"/>).
    /// </summary>
    Authenticated,

    /// <summary>ClientInit sent; waiting for ServerInit (7.3).</summary>
    ServerInit,

    /// <summary>Initialised: server messages (7.6) flow and client messages (7.5) may be sent.</summary>
    Normal,

    /// <summary>The session failed (malformed input or security failure); nothing more is processed.</summary>
    Closed,
}
