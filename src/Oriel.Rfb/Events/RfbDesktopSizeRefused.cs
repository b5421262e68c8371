namespace Oriel.Rfb;

/// <summary>The server refused our SetDesktopSize. Status, rfbproto "ExtendedDesktopSize": 1 prohibited, 2 out of resources, 3 invalid layout, 4 forwarded (may still happen later).</summary>
public sealed record RfbDesktopSizeRefused(int Status) : RfbEvent;
