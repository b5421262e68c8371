using System.Buffers.Binary;

namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>A generated photo-like picture (many colours, few alike neighbours) and its XWD file for <c>xwud</c>.</summary>
internal static class PhotoImage
{
    /// <summary>Smooth shading with a little grain: many colours, few neighbours alike, like a photograph.</summary>
    public static uint Pixel(int x, int y)
    {
        var grain = (int)((((uint)x * 73856093u) ^ ((uint)y * 19349663u)) % 9) - 4;
        static uint Channel(double v) => (uint)Math.Clamp((int)Math.Round(v), 0, 255);
        var r = Channel(128 + (90 * Math.Sin((x / 23.0) + (y / 37.0))) + grain);
        var g = Channel(128 + (90 * Math.Sin((y / 19.0) - (x / 41.0))) - grain);
        var b = Channel(128 + (90 * Math.Cos((x + y) / 29.0)) + (grain / 2));
        return r << 16 | g << 8 | b;
    }

    /// <summary>
    /// An X Window Dump (X11 XWDFile.h, version 7) of the picture: 25 big-endian CARD32 header fields,
    /// the window name, no colour table, then 32-bit MSBFirst TrueColor ZPixmap rows.
    /// </summary>
    public static byte[] Xwd(int width, int height)
    {
        var name = "oriel-photo\0"u8;
        var headerSize = 100 + name.Length;
        var file = new byte[headerSize + (width * height * 4)];
        uint[] header =
        [
            (uint)headerSize, 7, 2, 24, (uint)width, (uint)height, 0, // header_size, file_version, ZPixmap, depth, size, xoffset
            1, 32, 1, 32, 32, (uint)width * 4,                          // byte_order MSBFirst, bitmap unit/bit order/pad, bits_per_pixel, bytes_per_line
            4, 0xFF0000, 0x00FF00, 0x0000FF, 8, 256, 0,                 // TrueColor, masks, bits_per_rgb, colormap_entries, ncolors
            (uint)width, (uint)height, 0, 0, 0,                         // window width, height, x, y, border width
        ];
        for (var i = 0; i < header.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(i * 4), header[i]);
        name.CopyTo(file.AsSpan(100));
        var at = headerSize;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++, at += 4) BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at), Pixel(x, y));
        }
        return file;
    }
}
