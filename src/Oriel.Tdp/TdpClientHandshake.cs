namespace Oriel.Tdp;

/// <summary>
/// The server's view of the RFD 37 handshake ("Message sequence"): the client's first two messages must
/// be client username (7) and then client screen spec (1); any other message before them is dropped.
/// Oriel's resize remote (107) may come between the two: it says whether that first screen spec (and the
/// later ones) asks for the remote desktop to be resized, and is kept in <see cref="ResizeMode"/>. After that, messages pass through, except that the username cannot change (a later 7 is dropped)
/// and messages only a server sends (<see cref="TdpMessageDirection.IsSentByClient"/> false) are dropped.
/// A later screen spec updates <see cref="ScreenSpec"/> and passes through as a resize.
/// Not thread-safe: one per session, fed in arrival order.
/// </summary>
public sealed class TdpClientHandshake
{
    /// <summary>The current phase.</summary>
    public TdpHandshakeState State { get; private set; } = TdpHandshakeState.AwaitingUsername;

    /// <summary>The requested login, once received.</summary>
    public string? Username { get; private set; }

    /// <summary>The latest client screen spec, once received.</summary>
    public ClientScreenSpecMessage? ScreenSpec { get; private set; }

    /// <summary>
    /// Whether the client's screen specs ask to resize the remote desktop: the latest resize remote (107)
    /// received after the username, <see cref="RemoteResizeMode.Follow"/> if none was.
    /// </summary>
    public RemoteResizeMode ResizeMode { get; private set; } = RemoteResizeMode.Follow;

    /// <summary>True once username and screen spec have both arrived.</summary>
    public bool IsReady => State == TdpHandshakeState.Ready;

    /// <summary>Feeds one decoded client message and says what to do with it.</summary>
    public TdpHandshakeResult Accept(TdpMessage clientMessage)
    {
        ArgumentNullException.ThrowIfNull(clientMessage);
        if (!TdpMessageDirection.IsSentByClient(clientMessage.Type))
        {
            return TdpHandshakeResult.Dropped;
        }
        switch (State)
        {
            case TdpHandshakeState.AwaitingUsername when clientMessage is ClientUsernameMessage u:
                Username = u.Username;
                State = TdpHandshakeState.AwaitingScreenSpec;
                return TdpHandshakeResult.UsernameReceived;
            case TdpHandshakeState.AwaitingScreenSpec when clientMessage is ResizeRemoteMessage r:
                ResizeMode = r.Mode;
                return TdpHandshakeResult.ResizeModeReceived;
            case TdpHandshakeState.AwaitingScreenSpec when clientMessage is ClientScreenSpecMessage s:
                ScreenSpec = s;
                State = TdpHandshakeState.Ready;
                return TdpHandshakeResult.Ready;
            case TdpHandshakeState.Ready when clientMessage is ResizeRemoteMessage r:
                ResizeMode = r.Mode;
                return TdpHandshakeResult.PassThrough;
            case TdpHandshakeState.Ready when clientMessage is ClientScreenSpecMessage s:
                ScreenSpec = s;
                return TdpHandshakeResult.PassThrough;
            case TdpHandshakeState.Ready when clientMessage is not ClientUsernameMessage:
                return TdpHandshakeResult.PassThrough;
            default:
                return TdpHandshakeResult.Dropped;
        }
    }
}
