namespace Oriel.Graphics;

/// <summary>Settings for <see cref="FrameEncoder"/>.</summary>
public sealed record FrameEncoderOptions
{
    /// <summary>The defaults: 256-pixel tiles, 64-pixel hash cells, skipping on, default PNG settings.</summary>
    public static FrameEncoderOptions Default { get; } = new();

    /// <summary>
    /// Side of the square tile grid (16 .. 256; at most 64K pixels a tile). One PNG per tile, covering
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
}
