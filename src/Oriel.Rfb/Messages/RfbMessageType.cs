namespace Oriel.Rfb.Messages;

/// <summary>Message-type numbers, [RFC 6143] 7.5 (client to server) and 7.6 (server to client), plus SetDesktopSize (rfbproto).</summary>
public static class RfbMessageType
{
    // Client to server.
    public const byte SetPixelFormat = 0;
    public const byte SetEncodings = 2;
    public const byte FramebufferUpdateRequest = 3;
    public const byte KeyEvent = 4;
    public const byte PointerEvent = 5;
    public const byte ClientCutText = 6;
    public const byte SetDesktopSize = 251;

    // Server to client.
    public const byte FramebufferUpdate = 0;
    public const byte SetColourMapEntries = 1;
    public const byte Bell = 2;
    public const byte ServerCutText = 3;
}
