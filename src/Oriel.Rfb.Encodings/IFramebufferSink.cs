using Oriel.Graphics;

namespace Oriel.Rfb.Encodings;

/// <summary>Receives framebuffer changes in the order they happen.</summary>
public interface IFramebufferSink
{
    /// <summary>Pixels inside <paramref name="area"/> changed.</summary>
    void Damaged(Rect area);

    /// <summary>The pixels of <paramref name="source"/> were copied to (dx, dy) (already applied to the framebuffer).</summary>
    void Copied(Rect source, int dx, int dy);
}
