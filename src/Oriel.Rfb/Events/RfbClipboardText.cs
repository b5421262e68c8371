namespace Oriel.Rfb;

/// <summary>The server's clipboard changed to this text (ServerCutText, or an Extended Clipboard provide).</summary>
public sealed record RfbClipboardText(string Text) : RfbEvent
{
    public override string ToString() => $"RfbClipboardText {{ Length = {Text.Length} }}"; // never log clipboard contents
}
