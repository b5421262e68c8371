using Oriel.Graphics;
using Oriel.Rfb.Encodings;

namespace Oriel.Rfb.Replay;

/// <summary>A sink for when nobody needs the damage reports.</summary>
internal sealed class NullFramebufferSink : IFramebufferSink
{
    public static readonly NullFramebufferSink Instance = new();

    public void Damaged(Rect area)
    {
    }

    public void Copied(Rect source, int dx, int dy)
    {
    }
}
