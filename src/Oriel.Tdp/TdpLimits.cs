namespace Oriel.Tdp;

/// <summary>
/// Hard caps of the TDP codec (docs/tdp.md, "Caps"). Every length field is checked against its cap
/// before anything is allocated. Must stay equal to <c>web/src/tdp/limits.ts</c>.
/// </summary>
public static class TdpLimits
{
    /// <summary>Client username (7), UTF-8 bytes.</summary>
    public const int MaxUsernameBytes = 256;

    /// <summary>Clipboard data (6), bytes.</summary>
    public const int MaxClipboardBytes = 1024 * 1024;

    /// <summary>PNG data of a PNG frame (2, 27), bytes.</summary>
    public const int MaxPngBytes = 64 * 1024 * 1024;

    /// <summary>JPEG data of a JPEG frame (106), bytes.</summary>
    public const int MaxJpegBytes = 64 * 1024 * 1024;

    /// <summary>Error (9) and notification (28) text, UTF-8 bytes.</summary>
    public const int MaxTextBytes = 64 * 1024;

    /// <summary>MFA (10) JSON, UTF-8 bytes.</summary>
    public const int MaxMfaJsonBytes = 64 * 1024;

    /// <summary>Cursor shape (102) width and height, pixels.</summary>
    public const int MaxCursorSide = 256;

    /// <summary>Cursor shape (102) RGBA data, bytes.</summary>
    public const int MaxCursorBytes = MaxCursorSide * MaxCursorSide * 4;

    /// <summary>Screen spec (1) and desktop size (103) width/height (1..this), and the canvas copy rect (104) stays in.</summary>
    public const int MaxScreenSide = 16384;

    /// <summary>Terminal output (108) data, bytes per message.</summary>
    public const int MaxTerminalOutputBytes = 64 * 1024;

    /// <summary>Terminal input (109) data, bytes per message.</summary>
    public const int MaxTerminalInputBytes = 64 * 1024;

    /// <summary>Terminal resize (110) columns and rows (1..this).</summary>
    public const int MaxTerminalCells = 4096;

    /// <summary>Terminal exit (112) signal name, ASCII bytes.</summary>
    public const int MaxSignalNameBytes = 32;

    /// <summary>The largest whole TDP message: a PNG frame 2 (27) with the largest PNG.</summary>
    public const int MaxMessageBytes = PngFrame2Message.HeaderSize + MaxPngBytes;
}
