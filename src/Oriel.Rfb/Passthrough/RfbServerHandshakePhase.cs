namespace Oriel.Rfb.Passthrough;

/// <summary>Where <see cref="RfbNoneSecurityServerHandshake"/> is, named after the phases of [RFC 6143] 7.1-7.3 seen from the server.</summary>
public enum RfbServerHandshakePhase
{
    /// <summary>"RFB 003.008\n" sent; waiting for the client's ProtocolVersion (7.1.1).</summary>
    ProtocolVersion,

    /// <summary>Security type None offered (3.7, 3.8); waiting for the client's choice (7.1.2).</summary>
    SecuritySelection,

    /// <summary>Security done (SecurityResult OK sent for 3.8, 7.1.3); waiting for ClientInit (7.3.1).</summary>
    ClientInit,

    /// <summary>ClientInit received: the handshake is over and the client waits for ServerInit (7.3.2).</summary>
    Complete,
}
