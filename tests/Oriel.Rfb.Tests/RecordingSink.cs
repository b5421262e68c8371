using Oriel.Graphics;
using Oriel.Rfb.Encodings;

namespace Oriel.Rfb.Tests;

/// <summary>Records what the decoders report.</summary>
internal sealed class RecordingSink : IFramebufferSink
{
    public List<Rect> Damage { get; } = [];
    public List<(Rect Source, int Dx, int Dy)> Copies { get; } = [];

    public void Damaged(Rect area) => Damage.Add(area);

    public void Copied(Rect source, int dx, int dy) => Copies.Add((source, dx, dy));
}
