namespace Oriel.Rfb;

/// <summary>ServerInit arrived ([RFC 6143] 7.3.2): the framebuffer exists and input may be sent.</summary>
public sealed record RfbConnected(string Name, int Width, int Height) : RfbEvent;
