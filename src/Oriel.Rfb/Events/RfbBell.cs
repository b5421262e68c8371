namespace Oriel.Rfb;

/// <summary>The server rang the bell ([RFC 6143] 7.6.3).</summary>
public sealed record RfbBell : RfbEvent
{
    public static readonly RfbBell Instance = new();
}
