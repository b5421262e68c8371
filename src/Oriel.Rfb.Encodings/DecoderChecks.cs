using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>Checks shared by the rectangle decoders.</summary>
internal static class DecoderChecks
{
    /// <summary>Throws <see cref="DecodeException"/> unless <paramref name="rect"/> lies inside the framebuffer.</summary>
    public static void RequireInside(Rect rect, RectangleContext context, string what)
    {
        if (!context.Framebuffer.Contains(rect))
        {
            throw new DecodeException(what, $"{rect} lies outside the {context.Framebuffer.Width}x{context.Framebuffer.Height} framebuffer");
        }
    }
}
