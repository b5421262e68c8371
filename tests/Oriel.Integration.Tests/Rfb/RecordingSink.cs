using Oriel.Graphics;
using Oriel.Rfb.Encodings;

namespace Oriel.Integration.Tests.Rfb;

/// <summary>Counts what the engine reports as damaged and copied.</summary>
internal sealed class RecordingSink : IFramebufferSink
{
    public int DamagedCount { get; private set; }
    public long DamagedPixels { get; private set; }
    public int CopiedCount { get; private set; }

    public void Damaged(Rect area)
    {
        DamagedCount++;
        DamagedPixels += (long)area.Width * area.Height;
    }

    public void Copied(Rect source, int dx, int dy) => CopiedCount++;
}
