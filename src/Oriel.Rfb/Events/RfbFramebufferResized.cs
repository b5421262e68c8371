namespace Oriel.Rfb;

/// <summary>The framebuffer changed size (DesktopSize or ExtendedDesktopSize pseudo-rectangle); the content kept is the overlapping top-left part.</summary>
public sealed record RfbFramebufferResized(int Width, int Height) : RfbEvent;
