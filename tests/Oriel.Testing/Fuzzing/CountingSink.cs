using Oriel.Graphics;
using Oriel.Rfb.Encodings;

namespace Oriel.Testing.Fuzzing;

/// <summary>Counts what the decoders report; fuzz targets look at the decoders, not at what they draw.</summary>
internal sealed class CountingSink : IFramebufferSink
{
    public long Reports { get; private set; }

    public void Damaged(Rect area) => Reports++;

    public void Copied(Rect source, int dx, int dy) => Reports++;
}
