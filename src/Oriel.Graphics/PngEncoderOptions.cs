using System.IO.Compression;

namespace Oriel.Graphics;

/// <summary>Settings for <see cref="PngEncoder"/>.</summary>
public sealed record PngEncoderOptions
{
    /// <summary>The defaults: fastest zlib level, Up filter, palette fast path on.</summary>
    public static PngEncoderOptions Default { get; } = new();

    /// <summary>
    /// zlib effort. <see cref="CompressionLevel.Fastest"/> (the default) uses settings measured on
    /// 1080p desktops (bench/Oriel.Bench.Png): indexed images zlib level 2, default strategy (text
    /// compresses about 30 % smaller than level 1 for about 20 % more time); true-colour images zlib
    /// level 1 with the run-length strategy (on gradients and photos both faster and about a third
    /// smaller than level 1's default strategy). Optimal is level 6, SmallestSize level 9,
    /// NoCompression level 0, all with the default strategy.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>When set, zlib level 0..9 for every image, overriding <see cref="CompressionLevel"/>.</summary>
    public int? ZLibLevel { get; init; }

    /// <summary>When set, the zlib strategy for every image, overriding <see cref="CompressionLevel"/>'s choice.</summary>
    public ZLibCompressionStrategy? Strategy { get; init; }

    /// <summary>Row filter for true-colour images. Palette images always use filter None, as the PNG specification recommends.</summary>
    public PngFilter Filter { get; init; } = PngFilter.Up;

    /// <summary>Emit an indexed-colour PNG (colour type 3, bit depth 1, 2, 4 or 8) when the area has at most 256 colours.</summary>
    public bool UsePalette { get; init; } = true;

    /// <summary>Largest IDAT chunk payload in bytes (4 KiB .. 1 MiB).</summary>
    public int MaxIdatChunkSize { get; init; } = 64 * 1024;
}
