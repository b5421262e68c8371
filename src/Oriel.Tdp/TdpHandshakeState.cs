namespace Oriel.Tdp;

/// <summary>Phases of the client side of the RFD 37 handshake, as seen by the server.</summary>
public enum TdpHandshakeState
{
    /// <summary>Waiting for client username (7).</summary>
    AwaitingUsername,

    /// <summary>Waiting for client screen spec (1).</summary>
    AwaitingScreenSpec,

    /// <summary>Both arrived; every later client message passes through.</summary>
    Ready,
}
