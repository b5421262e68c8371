namespace Oriel.Rfb;

/// <summary>The desktop name changed (DesktopName pseudo-encoding, rfbproto).</summary>
public sealed record RfbDesktopNameChanged(string Name) : RfbEvent;
