namespace Oriel.Tdp;

/// <summary>Which side may send each message type (RFD 37 and docs/tdp.md).</summary>
public static class TdpMessageDirection
{
    /// <summary>True for messages a browser may send: 1, 3, 4, 5, 6, 7, 8, 10, 101, 105, 107, 109, 110, 111.</summary>
    public static bool IsSentByClient(TdpMessageType type) => type is
        TdpMessageType.ClientScreenSpec or TdpMessageType.MouseMove or TdpMessageType.MouseButton or
        TdpMessageType.KeyboardInput or TdpMessageType.ClipboardData or TdpMessageType.ClientUsername or
        TdpMessageType.MouseWheel or TdpMessageType.Mfa or TdpMessageType.FrameAck or TdpMessageType.KeysymInput or
        TdpMessageType.ResizeRemote or TdpMessageType.TerminalInput or TdpMessageType.TerminalResize or
        TdpMessageType.TerminalAck;

    /// <summary>True for messages the gateway may send: 2, 6, 9, 10, 27, 28, 100, 102, 103, 104, 106, 108, 112, 113.</summary>
    public static bool IsSentByServer(TdpMessageType type) => type is
        TdpMessageType.PngFrame or TdpMessageType.ClipboardData or TdpMessageType.Error or TdpMessageType.Mfa or
        TdpMessageType.PngFrame2 or TdpMessageType.Notification or TdpMessageType.FrameMarker or
        TdpMessageType.CursorShape or TdpMessageType.DesktopSize or TdpMessageType.CopyRect or TdpMessageType.JpegFrame or
        TdpMessageType.TerminalOutput or TdpMessageType.TerminalExit or TdpMessageType.TerminalSize;
}
