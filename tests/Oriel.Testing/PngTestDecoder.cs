using System.Buffers.Binary;
using System.IO.Compression;

namespace Oriel.Testing;

/// <summary>
/// A minimal, deliberately independent PNG decoder for tests: checks the signature and every
/// chunk CRC (bitwise CRC, not the encoder's table), chunk order, inflates the IDAT stream and
/// undoes all five filter types for colour types 2 (8-bit) and 3 (1, 2, 4, 8-bit).
/// </summary>
public static class PngTestDecoder
{
    public sealed record Image(int Width, int Height, int BitDepth, int ColorType, uint[] Pixels, int PaletteCount, int IdatChunks, byte[] FilterTypes);

    public static Image Decode(ReadOnlySpan<byte> png)
    {
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (!png.StartsWith(signature)) throw new InvalidDataException("bad signature");
        var pos = 8;
        int width = 0, height = 0, bitDepth = 0, colorType = -1, idatChunks = 0;
        uint[] palette = [];
        var idat = new MemoryStream();
        var seenIend = false;
        var first = true;
        while (pos < png.Length)
        {
            if (seenIend) throw new InvalidDataException("data after IEND");
            if (png.Length - pos < 12) throw new InvalidDataException("truncated chunk");
            var length = BinaryPrimitives.ReadInt32BigEndian(png[pos..]);
            if (length < 0 || length > png.Length - pos - 12) throw new InvalidDataException("chunk length");
            var type = System.Text.Encoding.ASCII.GetString(png.Slice(pos + 4, 4));
            var data = png.Slice(pos + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + length)..]);
            if (crc != BitwiseCrc(png.Slice(pos + 4, 4 + length))) throw new InvalidDataException($"CRC mismatch in {type}");
            if (first && type != "IHDR") throw new InvalidDataException("IHDR must be first");
            first = false;
            switch (type)
            {
                case "IHDR":
                    if (length != 13) throw new InvalidDataException("IHDR length");
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    if (data[10] != 0 || data[11] != 0 || data[12] != 0) throw new InvalidDataException("method/interlace");
                    if (width <= 0 || height <= 0 || (long)width * height > 1 << 26) throw new InvalidDataException("size");
                    if (!(colorType == 2 && bitDepth == 8) && !(colorType == 3 && bitDepth is 1 or 2 or 4 or 8)) throw new InvalidDataException("colour type");
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768 || idatChunks > 0) throw new InvalidDataException("PLTE");
                    palette = new uint[length / 3];
                    for (var i = 0; i < palette.Length; i++) palette[i] = (uint)(data[i * 3] << 16 | data[(i * 3) + 1] << 8 | data[(i * 3) + 2]);
                    break;
                case "IDAT":
                    idatChunks++;
                    idat.Write(data);
                    break;
                case "IEND":
                    if (length != 0) throw new InvalidDataException("IEND length");
                    seenIend = true;
                    break;
                default:
                    throw new InvalidDataException($"unexpected chunk {type}");
            }
            pos += 12 + length;
        }
        if (!seenIend) throw new InvalidDataException("no IEND");
        if (colorType == 3 && palette.Length == 0) throw new InvalidDataException("indexed without PLTE");
        if (colorType == 3 && palette.Length > 1 << bitDepth) throw new InvalidDataException("palette larger than bit depth allows");

        var bitsPerPixel = colorType == 2 ? 24 : bitDepth;
        var rowBytes = ((width * bitsPerPixel) + 7) / 8;
        var bpp = Math.Max(1, bitsPerPixel / 8);
        var raw = new byte[(rowBytes + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.ReadExactly(raw);
            if (z.ReadByte() != -1) throw new InvalidDataException("extra image data");
        }

        var prev = new byte[rowBytes];
        var cur = new byte[rowBytes];
        var pixels = new uint[width * height];
        var filters = new byte[height];
        for (var y = 0; y < height; y++)
        {
            var line = raw.AsSpan(y * (rowBytes + 1), rowBytes + 1);
            filters[y] = line[0];
            Unfilter(line[0], line[1..], prev, bpp, cur);
            for (var x = 0; x < width; x++)
            {
                if (colorType == 2)
                {
                    pixels[(y * width) + x] = (uint)(cur[x * 3] << 16 | cur[(x * 3) + 1] << 8 | cur[(x * 3) + 2]);
                }
                else
                {
                    var bit = x * bitDepth;
                    var index = (cur[bit / 8] >> (8 - bitDepth - (bit % 8))) & ((1 << bitDepth) - 1);
                    if (index >= palette.Length) throw new InvalidDataException("index outside palette");
                    pixels[(y * width) + x] = palette[index];
                }
            }
            (prev, cur) = (cur, prev);
        }
        return new Image(width, height, bitDepth, colorType, pixels, palette.Length, idatChunks, filters);
    }

    private static void Unfilter(byte type, ReadOnlySpan<byte> line, byte[] prev, int bpp, byte[] cur)
    {
        for (var i = 0; i < line.Length; i++)
        {
            int a = i >= bpp ? cur[i - bpp] : 0;
            int b = prev[i];
            int c = i >= bpp ? prev[i - bpp] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => PaethReference(a, b, c),
                _ => throw new InvalidDataException($"filter type {type}"),
            };
            cur[i] = (byte)(line[i] + predictor);
        }
    }

    private static int PaethReference(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        if (pb <= pc) return b;
        return c;
    }

    /// <summary>CRC-32 bit by bit, straight from the definition (reflected 0xEDB88320).</summary>
    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var d in data)
        {
            c ^= d;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFFu;
    }
}
