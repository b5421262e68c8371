namespace Oriel.Tdp;

/// <summary>What <see cref="TdpClientHandshake.Accept"/> made of one client message.</summary>
public enum TdpHandshakeResult
{
    /// <summary>Out of order (RFD 37: discarded until username and screen spec have arrived), or never valid from a client.</summary>
    Dropped,

    /// <summary>The username (7) arrived; the screen spec (1) is awaited next.</summary>
    UsernameReceived,

    /// <summary>Resize remote (107) arrived between username and screen spec: <see cref="TdpClientHandshake.ResizeMode"/> is updated, the screen spec is still awaited.</summary>
    ResizeModeReceived,

    /// <summary>The screen spec (1) arrived after the username: the session may start.</summary>
    Ready,

    /// <summary>The handshake is done and this message is for the session (a later screen spec is a resize).</summary>
    PassThrough,
}
