using Oriel.Graphics;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// What a rectangle decoder writes into: the framebuffer, the current pixel converter, and a sink
/// for what changed. Decoders report every pixel they write as damage, or a copy as a copy
/// (so the gateway can forward it as a copy-rectangle instead of pixels).
/// </summary>
public sealed class RectangleContext
{
    public RectangleContext(Framebuffer framebuffer, PixelConverter pixels, IFramebufferSink sink)
    {
        Framebuffer = framebuffer;
        Pixels = pixels;
        Sink = sink;
    }

    public Framebuffer Framebuffer { get; }
    public PixelConverter Pixels { get; set; }
    public IFramebufferSink Sink { get; }

    /// <summary>Scratch space decoders may reuse between rectangles (grown on demand, never shrunk).</summary>
    public byte[] Scratch { get; set; } = new byte[64 * 1024];

    public uint[] PixelScratch { get; set; } = new uint[64 * 64];
}
