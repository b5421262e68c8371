namespace Oriel.Rfb;

/// <summary>A new cursor image (Cursor pseudo-encoding): RGBA bytes, 4 per pixel, row-major; an empty image hides the cursor.</summary>
public sealed record RfbCursorShape(int HotX, int HotY, int Width, int Height, byte[] Rgba) : RfbEvent;
