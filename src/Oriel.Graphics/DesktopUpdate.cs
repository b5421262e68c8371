namespace Oriel.Graphics;

/// <summary>
/// What to send a viewer to bring it from the state it had at the previous update to the current
/// framebuffer: if <see cref="SizeChanged"/>, the screen was resized to <see cref="Width"/> x
/// <see cref="Height"/> (the client drops its content); then the <see cref="Copies"/> in order; then
/// the <see cref="Damage"/> rectangles with the current pixels. The memory belongs to the
/// <see cref="UpdateTracker"/> that produced it and stays valid until its next
/// <see cref="UpdateTracker.TryTakeUpdate"/>.
/// </summary>
public readonly struct DesktopUpdate
{
    public DesktopUpdate(int width, int height, bool sizeChanged, ReadOnlyMemory<CopyOperation> copies, ReadOnlyMemory<Rect> damage)
    {
        Width = width;
        Height = height;
        SizeChanged = sizeChanged;
        Copies = copies;
        Damage = damage;
    }

    /// <summary>Screen width when the update was taken.</summary>
    public int Width { get; }

    /// <summary>Screen height when the update was taken.</summary>
    public int Height { get; }

    /// <summary>True when the screen was resized since the previous update; then the damage covers the whole screen.</summary>
    public bool SizeChanged { get; }

    /// <summary>Copies to apply first, in order.</summary>
    public ReadOnlyMemory<CopyOperation> Copies { get; }

    /// <summary>Rectangles to send with current pixels, after the copies. They lie inside the screen and may overlap.</summary>
    public ReadOnlyMemory<Rect> Damage { get; }

    public bool IsEmpty => !SizeChanged && Copies.IsEmpty && Damage.IsEmpty;

    /// <summary>Sum of the damage rectangles' areas in pixels.</summary>
    public long DamageArea
    {
        get
        {
            long a = 0;
            foreach (var r in Damage.Span) a += r.Area;
            return a;
        }
    }
}
