using System.Buffers;

namespace Oriel.Graphics;

/// <summary>Settings for <see cref="FrameEncoder"/>.</summary>
public sealed record FrameEncoderOptions
{
    /// <summary>The defaults: 256-pixel tiles, 64-pixel hash cells, skipping on, default PNG settings.</summary>
    public static FrameEncoderOptions Default { get; } = new();

    /// <summary>
    /// Side of the square tile grid (16 .. 256; at most 64K pixels a tile). One image per tile, covering
    /// the bounding box of the changed damage inside it. Each PNG costs a zlib set-up (tens of
    /// microseconds) and loses compression context, so bigger tiles are faster and smaller on full
    /// frames: on a 1080p xterm screenshot, 256 gave 73 KB in about 5 ms, 128 gave 110 KB, 64 gave 190 KB
    /// in about 25 ms (bench/Oriel.Bench.Png).
    /// </summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Side of the cells whose content hashes decide what is unchanged (8 .. <see cref="TileSize"/>, dividing it).</summary>
    public int HashCellSize { get; init; } = 64;

    /// <summary>Keep a hash per hash cell of what the viewer shows and leave out damaged cells whose pixels are unchanged.</summary>
    public bool SkipUnchangedTiles { get; init; } = true;

    /// <summary>Seed for the cell hashes (pass a random value to make crafted collisions impractical).</summary>
    public ulong HashSeed { get; init; }

    /// <summary>PNG settings for the tiles.</summary>
    public PngEncoderOptions Png { get; init; } = PngEncoderOptions.Default;

    /// <summary>
    /// JPEG quality (1 .. 100) for tiles where JPEG pays; 0 sends PNG only. JPEG is used only when
    /// <see cref="JpegEncoder"/> is set too.
    /// </summary>
    public int JpegQuality { get; init; } = 80;

    /// <summary>
    /// Writes <c>area</c> of the framebuffer as one complete JPEG file at the given quality into the
    /// buffer writer and returns its length, e.g. <c>JpegCodec.Encode</c>. Null (the default): no JPEG.
    /// The encoder itself stays free of native code and is testable with any lossy stand-in.
    /// </summary>
    public Func<Framebuffer, Rect, int, IBufferWriter<byte>, int>? JpegEncoder { get; init; }

    /// <summary>Smallest tile width and height sent as JPEG (8 .. 256): small tiles are cheap in PNG and JPEG's 8x8 blocks show.</summary>
    public int JpegMinSide { get; init; } = 64;

    /// <summary>
    /// A tile that is not photo-like but has over 256 colours is first PNG-encoded; if the PNG takes more
    /// than this many bytes per pixel, it is JPEG-encoded too and the smaller is sent.
    /// </summary>
    public double JpegFallbackBytesPerPixel { get; init; } = 1.5;

    /// <summary>
    /// Lossless refinement: a tile the viewer shows from a JPEG is re-sent as PNG once no tile has
    /// touched it for this long (see <see cref="FrameEncoder.RequestRefinement"/>).
    /// </summary>
    public TimeSpan RefineDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>True when these options can produce JPEG tiles.</summary>
    public bool JpegEnabled => JpegQuality > 0 && JpegEncoder is not null;
}
