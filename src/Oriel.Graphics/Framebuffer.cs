namespace Oriel.Graphics;

/// <summary>
/// A desktop image in memory: <see cref="Width"/> x <see cref="Height"/> pixels, row-major,
/// stride = width, each pixel a <see cref="uint"/> 0x00RRGGBB (the top byte is ignored and kept 0).
/// Engines decode into it; encoders read rectangles out of it. Not thread-safe: the owner
/// serialises access.
/// </summary>
public sealed class Framebuffer
{
    /// <summary>Largest side accepted, from any peer (RFB allows 65535; we cap lower).</summary>
    public const int MaxSide = 16384;

    /// <summary>Largest pixel count accepted (bounds memory to 256 MiB at 4 bytes a pixel).</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    private uint[] _pixels;

    public Framebuffer(int width, int height)
    {
        CheckSize(width, height);
        Width = width;
        Height = height;
        _pixels = new uint[(long)width * height];
    }

    public int Width { get; private set; }
    public int Height { get; private set; }
    public Rect Bounds => new(0, 0, Width, Height);

    /// <summary>All pixels, row-major. Length is exactly Width*Height.</summary>
    public Span<uint> Pixels => _pixels.AsSpan(0, Width * Height);

    public Span<uint> Row(int y) => _pixels.AsSpan(y * Width, Width);

    public ref uint At(int x, int y) => ref _pixels[y * Width + x];

    public static bool IsValidSize(int width, int height) =>
        width > 0 && height > 0 && width <= MaxSide && height <= MaxSide && (long)width * height <= MaxPixels;

    private static void CheckSize(int width, int height)
    {
        if (!IsValidSize(width, height))
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"framebuffer size {width}x{height} is outside 1..{MaxSide} per side / {MaxPixels} pixels");
        }
    }

    /// <summary>Resizes, keeping the overlapping top-left content; new area is black.</summary>
    public void Resize(int width, int height)
    {
        CheckSize(width, height);
        if (width == Width && height == Height) return;
        var next = new uint[(long)width * height];
        var w = Math.Min(width, Width);
        var h = Math.Min(height, Height);
        for (var y = 0; y < h; y++)
        {
            _pixels.AsSpan(y * Width, w).CopyTo(next.AsSpan(y * width, w));
        }
        _pixels = next;
        Width = width;
        Height = height;
    }

    /// <summary>True when <paramref name="r"/> lies wholly inside the framebuffer.</summary>
    public bool Contains(Rect r) => r.X >= 0 && r.Y >= 0 && r.Width >= 0 && r.Height >= 0 && (long)r.X + r.Width <= Width && (long)r.Y + r.Height <= Height;

    public void Fill(Rect r, uint color)
    {
        r = r.Intersect(Bounds);
        if (r.IsEmpty) return;
        for (var y = r.Y; y < r.Bottom; y++)
        {
            _pixels.AsSpan(y * Width + r.X, r.Width).Fill(color);
        }
    }

    /// <summary>Copies <paramref name="source"/> to the same-sized rectangle at (dx, dy); overlapping moves are handled.</summary>
    public void CopyRect(Rect source, int dx, int dy)
    {
        if (!Contains(source) || !Contains(new Rect(dx, dy, source.Width, source.Height)))
        {
            throw new ArgumentOutOfRangeException(nameof(source), "copy-rectangle outside the framebuffer");
        }
        if (dy > source.Y)
        {
            for (var y = source.Height - 1; y >= 0; y--)
            {
                _pixels.AsSpan((source.Y + y) * Width + source.X, source.Width).CopyTo(_pixels.AsSpan((dy + y) * Width + dx, source.Width));
            }
        }
        else
        {
            for (var y = 0; y < source.Height; y++)
            {
                // Span.CopyTo handles overlap within one row.
                _pixels.AsSpan((source.Y + y) * Width + source.X, source.Width).CopyTo(_pixels.AsSpan((dy + y) * Width + dx, source.Width));
            }
        }
    }

    /// <summary>Copies a rectangle of pixels out (row-major, stride = r.Width).</summary>
    public void Read(Rect r, Span<uint> destination)
    {
        for (var y = 0; y < r.Height; y++)
        {
            _pixels.AsSpan((r.Y + y) * Width + r.X, r.Width).CopyTo(destination.Slice(y * r.Width, r.Width));
        }
    }

    /// <summary>Writes a rectangle of pixels in (row-major, stride = r.Width).</summary>
    public void Write(Rect r, ReadOnlySpan<uint> source)
    {
        for (var y = 0; y < r.Height; y++)
        {
            source.Slice(y * r.Width, r.Width).CopyTo(_pixels.AsSpan((r.Y + y) * Width + r.X, r.Width));
        }
    }
}
