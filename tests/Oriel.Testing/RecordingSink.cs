using Oriel.Graphics;
using Oriel.Rfb.Encodings;

namespace Oriel.Testing;

/// <summary>Records what the decoders report (an <see cref="IFramebufferSink"/> for tests).</summary>
public sealed class RecordingSink : IFramebufferSink
{
    public List<Rect> Damage { get; } = [];
    public List<(Rect Source, int Dx, int Dy)> Copies { get; } = [];

    public void Damaged(Rect area) => Damage.Add(area);

    public void Copied(Rect source, int dx, int dy) => Copies.Add((source, dx, dy));

    public Rect DamageUnion()
    {
        var u = default(Rect);
        foreach (var r in Damage)
        {
            u = u.Union(r);
        }
        return u;
    }
}
