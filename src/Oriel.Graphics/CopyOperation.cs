namespace Oriel.Graphics;

/// <summary>
/// "Copy the pixels of <see cref="Source"/> to the same-sized rectangle whose top-left corner is
/// (<see cref="Dx"/>, <see cref="Dy"/>)", with the same meaning as <see cref="Framebuffer.CopyRect"/>:
/// Dx and Dy are the destination position, not an offset. The source is read before anything is
/// written, so overlapping moves (scrolling) are fine.
/// </summary>
public readonly record struct CopyOperation(Rect Source, int Dx, int Dy)
{
    /// <summary>The rectangle written.</summary>
    public Rect Destination => new(Dx, Dy, Source.Width, Source.Height);

    /// <summary>Horizontal displacement (destination minus source).</summary>
    public int OffsetX => Dx - Source.X;

    /// <summary>Vertical displacement (destination minus source).</summary>
    public int OffsetY => Dy - Source.Y;

    /// <summary>Applies the copy to <paramref name="framebuffer"/>.</summary>
    public void ApplyTo(Framebuffer framebuffer)
    {
        ArgumentNullException.ThrowIfNull(framebuffer);
        framebuffer.CopyRect(Source, Dx, Dy);
    }

    public override string ToString() => $"copy {Source} -> +{Dx}+{Dy}";
}
