namespace Oriel.Tdp;

/// <summary>
/// The first byte of every TDP message. 1-10, 27 and 28 are RFD 37 (Teleport desktop protocol);
/// 100 and up are Oriel's extensions (docs/tdp.md). 11-38 are in public use elsewhere and
/// deliberately not defined here: they decode as unknown.
/// </summary>
public enum TdpMessageType : byte
{
    ClientScreenSpec = 1,
    PngFrame = 2,
    MouseMove = 3,
    MouseButton = 4,
    KeyboardInput = 5,
    ClipboardData = 6,
    ClientUsername = 7,
    MouseWheel = 8,
    Error = 9,
    Mfa = 10,
    PngFrame2 = 27,
    Notification = 28,
    FrameMarker = 100,
    FrameAck = 101,
    CursorShape = 102,
    DesktopSize = 103,
    CopyRect = 104,
    KeysymInput = 105,
    JpegFrame = 106,
    ResizeRemote = 107,
    TerminalOutput = 108,
    TerminalInput = 109,
    TerminalResize = 110,
    TerminalAck = 111,
    TerminalExit = 112,
    TerminalSize = 113,
}
