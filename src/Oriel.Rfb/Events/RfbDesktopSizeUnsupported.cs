namespace Oriel.Rfb;

/// <summary>
/// A desktop size asked for before the server had shown whether it can resize was dropped: the server's
/// first FramebufferUpdate carried no ExtendedDesktopSize, so it does not accept SetDesktopSize.
/// </summary>
public sealed record RfbDesktopSizeUnsupported(int Width, int Height) : RfbEvent;
