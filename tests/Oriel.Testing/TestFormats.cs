using Oriel.Rfb.Encodings;

namespace Oriel.Testing;

/// <summary>The pixel formats the vectors name.</summary>
public static class TestFormats
{
    public static PixelFormat Get(string name) => name switch
    {
        "rgb888" => PixelFormat.Rgb888,
        "rgb888be" => new PixelFormat(32, 24, true, true, 255, 255, 255, 16, 8, 0),
        "bgr888" => new PixelFormat(32, 24, false, true, 255, 255, 255, 0, 8, 16),
        "rgb888msb" => new PixelFormat(32, 24, false, true, 255, 255, 255, 24, 16, 8),
        "rgb565" => new PixelFormat(16, 16, false, true, 31, 63, 31, 11, 5, 0),
        "bgr233" => new PixelFormat(8, 8, false, true, 7, 7, 3, 0, 3, 6),
        "colourmap" => new PixelFormat(8, 8, false, false, 0, 0, 0, 0, 0, 0),
        _ => throw new ArgumentException($"unknown format {name}", nameof(name)),
    };

    public static readonly string[] All = ["rgb888", "rgb888be", "bgr888", "rgb888msb", "rgb565", "bgr233", "colourmap"];

    /// <summary>A converter; colour-map formats get the grey map (entry i = 0xiiiiii).</summary>
    public static PixelConverter Converter(string name)
    {
        var c = new PixelConverter(Get(name));
        for (var i = 0; i < 256; i++)
        {
            c.ColourMap[i] = (uint)(i << 16 | i << 8 | i);
        }
        return c;
    }
}
