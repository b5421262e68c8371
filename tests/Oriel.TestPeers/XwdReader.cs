using System.Numerics;
using Oriel.Wire;

namespace Oriel.TestPeers;

/// <summary>
/// Reads an X Window Dump (XWD version 7, the format of <c>xwd</c>; X11 <c>XWDFile.h</c>): a
/// big-endian header of 25 CARD32 fields, the window name (to header_size), ncolors 12-byte
/// XWDColor entries, then the image, bytes_per_line per row. Supports ZPixmap images of 8, 16, 24
/// and 32 bits per pixel in either byte order; TrueColor/DirectColor pixels go through the colour
/// masks, other visual classes through the colour table. Malformed input throws <see cref="DecodeException"/>.
/// </summary>
public static class XwdReader
{
    /// <summary>The header size without the window name: 25 CARD32 fields.</summary>
    public const int FixedHeaderSize = 100;

    /// <summary>XWD_FILE_VERSION.</summary>
    public const uint FileVersion = 7;

    /// <summary>ZPixmap, the only pixmap format <c>xwd -root</c> writes for deep screens.</summary>
    public const uint ZPixmap = 2;

    private const uint MaxHeaderSize = 64 * 1024;
    private const uint MaxColors = 65536;
    private const uint MaxSide = 16384;
    private const ulong MaxPixels = 64UL * 1024 * 1024;
    private const int XwdColorSize = 12;

    public static XImage Read(ReadOnlySpan<byte> file)
    {
        var r = new SpanReader(file, "XWD");
        var headerSize = r.ReadUInt32("header_size");
        var version = r.ReadUInt32("file_version");
        if (version != FileVersion) throw r.Error($"file_version {version} is not {FileVersion}");
        if (headerSize < FixedHeaderSize || headerSize > MaxHeaderSize) throw r.Error($"header_size {headerSize} is out of range");
        var pixmapFormat = r.ReadUInt32("pixmap_format");
        if (pixmapFormat != ZPixmap) throw r.Error($"pixmap_format {pixmapFormat} is not ZPixmap");
        r.ReadUInt32("pixmap_depth");
        var width = r.ReadUInt32("pixmap_width");
        var height = r.ReadUInt32("pixmap_height");
        if (width > MaxSide || height > MaxSide) throw r.Error($"image {width}x{height} exceeds {MaxSide} per side");
        if ((ulong)width * height > MaxPixels) throw r.Error($"image {width}x{height} exceeds {MaxPixels} pixels");
        r.ReadUInt32("xoffset");
        var byteOrder = r.ReadUInt32("byte_order");
        if (byteOrder > 1) throw r.Error($"byte_order {byteOrder} is neither LSBFirst nor MSBFirst");
        r.ReadUInt32("bitmap_unit");
        r.ReadUInt32("bitmap_bit_order");
        r.ReadUInt32("bitmap_pad");
        var bitsPerPixel = r.ReadUInt32("bits_per_pixel");
        if (bitsPerPixel is not (8 or 16 or 24 or 32)) throw r.Error($"bits_per_pixel {bitsPerPixel} is not supported");
        var bytesPerLine = r.ReadUInt32("bytes_per_line");
        var bytesPerPixel = (int)bitsPerPixel / 8;
        if (bytesPerLine < width * bytesPerPixel || bytesPerLine > MaxSide * 4 + 64) throw r.Error($"bytes_per_line {bytesPerLine} does not fit width {width}");
        var visualClass = r.ReadUInt32("visual_class");
        var redMask = r.ReadUInt32("red_mask");
        var greenMask = r.ReadUInt32("green_mask");
        var blueMask = r.ReadUInt32("blue_mask");
        r.ReadUInt32("bits_per_rgb");
        r.ReadUInt32("colormap_entries");
        var ncolors = r.ReadUInt32("ncolors");
        if (ncolors > MaxColors) throw r.Error($"ncolors {ncolors} exceeds the cap of {MaxColors}");
        r.Skip(5 * 4, "window geometry");
        r.Skip((int)(headerSize - FixedHeaderSize), "window_name");

        // The colour table: pixel value → 0x00RRGGBB, from the high byte of each 16-bit component.
        var colorBytes = r.ReadSpan((int)ncolors * XwdColorSize, "colors");
        var usesMasks = visualClass is 4 or 5; // TrueColor, DirectColor
        Dictionary<uint, uint>? table = null;
        if (!usesMasks)
        {
            table = new Dictionary<uint, uint>((int)ncolors);
            var cr = new SpanReader(colorBytes, "XWDColor");
            for (var i = 0; i < ncolors; i++)
            {
                var pixel = cr.ReadUInt32("pixel");
                var red = cr.ReadUInt16("red");
                var green = cr.ReadUInt16("green");
                var blue = cr.ReadUInt16("blue");
                cr.Skip(2, "flags, pad");
                table[pixel] = (uint)((red >> 8) << 16 | (green >> 8) << 8 | (blue >> 8));
            }
        }
        else if (redMask == 0 || greenMask == 0 || blueMask == 0)
        {
            throw r.Error("a TrueColor image without colour masks");
        }

        var imageStart = r.Position;
        var imageSize = (long)bytesPerLine * height;
        if (r.Remaining < imageSize) throw r.Error($"image data is {r.Remaining} bytes, {imageSize} expected");
        var data = r.ReadSpan((int)imageSize, "image");

        var pixels = new uint[width * height];
        var red8 = new ChannelScaler(redMask);
        var green8 = new ChannelScaler(greenMask);
        var blue8 = new ChannelScaler(blueMask);
        var msbFirst = byteOrder == 1;
        for (var y = 0; y < height; y++)
        {
            var row = data.Slice((int)(y * bytesPerLine), (int)bytesPerLine);
            for (var x = 0; x < width; x++)
            {
                var value = ReadPixel(row.Slice(x * bytesPerPixel, bytesPerPixel), msbFirst);
                uint rgb;
                if (usesMasks)
                {
                    rgb = (uint)(red8.Scale(value) << 16 | green8.Scale(value) << 8 | blue8.Scale(value));
                }
                else if (!table!.TryGetValue(value, out rgb))
                {
                    throw new DecodeException("XWD", imageStart + y * bytesPerLine + x * bytesPerPixel, $"pixel value {value} is not in the colour table");
                }
                pixels[y * width + x] = rgb;
            }
        }
        return new XImage((int)width, (int)height, pixels);
    }

    private static uint ReadPixel(ReadOnlySpan<byte> b, bool msbFirst)
    {
        uint v = 0;
        if (msbFirst)
        {
            foreach (var x in b) v = v << 8 | x;
        }
        else
        {
            for (var i = b.Length - 1; i >= 0; i--) v = v << 8 | b[i];
        }
        return v;
    }

    /// <summary>Extracts one colour channel by its mask and scales it to 8 bits.</summary>
    private readonly struct ChannelScaler
    {
        private readonly uint _mask;
        private readonly int _shift;
        private readonly uint _max;

        public ChannelScaler(uint mask)
        {
            _mask = mask;
            _shift = mask == 0 ? 0 : BitOperations.TrailingZeroCount(mask);
            _max = mask >> _shift;
        }

        public uint Scale(uint value)
        {
            if (_max == 0) return 0;
            var v = (value & _mask) >> _shift;
            return _max == 255 ? v : (uint)(((ulong)v * 255 + _max / 2) / _max);
        }
    }
}
