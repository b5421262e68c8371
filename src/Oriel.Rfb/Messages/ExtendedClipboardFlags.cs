namespace Oriel.Rfb.Messages;

/// <summary>
/// The flags word of an Extended Clipboard message, rfbproto "Extended Clipboard Pseudo-Encoding":
/// bits 0-15 formats, bits 24-31 actions.
/// </summary>
public static class ExtendedClipboardFlags
{
    public const uint Text = 1u << 0;
    public const uint Rtf = 1u << 1;
    public const uint Html = 1u << 2;
    public const uint Dib = 1u << 3;
    public const uint Files = 1u << 4;
    public const uint FormatMask = 0x0000FFFF;

    public const uint Caps = 1u << 24;
    public const uint Request = 1u << 25;
    public const uint Peek = 1u << 26;
    public const uint Notify = 1u << 27;
    public const uint Provide = 1u << 28;
    public const uint ActionMask = 0xFF000000;
}
