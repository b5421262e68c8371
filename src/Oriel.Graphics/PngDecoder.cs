using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Oriel.Wire;

namespace Oriel.Graphics;

/// <summary>
/// A strict PNG decoder (PNG specification, 3rd edition) for images from stored or received bytes,
/// such as the PNG frames of a TDP recording. It reads the signature (5.2), checks every chunk's length
/// and CRC-32 (5.3), the chunk order (IHDR first; PLTE before IDAT; IDAT chunks consecutive; IEND last
/// with nothing after it), inflates the zlib stream (10) and undoes the five filters (9) of
/// non-interlaced images in colour types 0 (1, 2, 4, 8 bits), 2 (8), 3 (1, 2, 4, 8), 4 (8) and 6 (8),
/// which covers everything <see cref="PngEncoder"/> writes. Ancillary chunks are skipped (tRNS
/// included: screen images are opaque); an unknown critical chunk, 16-bit samples and interlacing
/// are refused.
/// </summary>
/// <remarks>
/// Input is untrusted: the length is capped at <see cref="MaxPngSize"/>, the image size at the
/// instance's pixel cap before anything is allocated for it, and the inflated data must be exactly
/// the image's scanlines. Every failure on the data is a <see cref="DecodeException"/>. Pixels come
/// out as 0x00RRGGBB; a pixel with alpha is drawn over what the destination holds (source-over, the
/// way a browser's canvas draws an image). An instance keeps its row buffers between calls and is
/// NOT thread-safe.
/// </remarks>
public sealed class PngDecoder
{
    /// <summary>Largest PNG file accepted (the TDP cap of PNG frames).</summary>
    public const int MaxPngSize = 64 * 1024 * 1024;

    private const string What = "PNG";
    private const int ChunkOverhead = 12;

    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    private readonly long _maxPixels;
    private readonly uint[] _palette = new uint[256];
    private readonly byte[] _probe = new byte[1];
    private byte[] _prev = [];
    private byte[] _cur = [];

    /// <summary>A decoder refusing images of more than <paramref name="maxPixels"/> pixels (default: the framebuffer cap).</summary>
    public PngDecoder(long maxPixels = Framebuffer.MaxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        _maxPixels = maxPixels;
    }

    /// <summary>
    /// Reads the signature and the IHDR chunk only (with its CRC): the image's size and format. Throws
    /// <see cref="DecodeException"/> when they are malformed or of a kind this decoder refuses. The pixel
    /// cap is not applied here.
    /// </summary>
    public static PngImageHeader ReadHeader(ReadOnlySpan<byte> png)
    {
        DecodeException.ThrowIfOverCap(What, png.Length, MaxPngSize);
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
        {
            throw new DecodeException(What, 0, "data does not start with the PNG signature");
        }
        var pos = Signature.Length;
        var chunk = ReadChunk(png, ref pos);
        if (!chunk.Type.SequenceEqual("IHDR"u8))
        {
            throw new DecodeException(What, Signature.Length, "the first chunk is not IHDR");
        }
        return ParseHeader(chunk.Data, Signature.Length + 8);
    }

    /// <summary>Decodes a whole image into a new pixel array.</summary>
    public PngImage Decode(ReadOnlySpan<byte> png)
    {
        var header = ReadHeader(png);
        CheckPixelCap(header);
        var pixels = new uint[header.PixelCount];
        DecodeCore(png, pixels, header.Width, header.Width, header.Height, 0, 0);
        return new PngImage(header.Width, header.Height, pixels);
    }

    /// <summary>
    /// Decodes into <paramref name="destination"/>, whose rows start <paramref name="stride"/> pixels apart and
    /// which must hold the whole image (its size from <see cref="ReadHeader"/>). Returns the header.
    /// </summary>
    public PngImageHeader Decode(ReadOnlySpan<byte> png, Span<uint> destination, int stride)
    {
        var header = ReadHeader(png);
        CheckPixelCap(header);
        if (stride < header.Width || destination.Length < ((long)(header.Height - 1) * stride) + header.Width)
        {
            throw new ArgumentException($"destination ({destination.Length} pixels, stride {stride}) cannot hold a {header.Width}x{header.Height} image", nameof(destination));
        }
        DecodeCore(png, destination, stride, header.Width, header.Height, 0, 0);
        return header;
    }

    /// <summary>
    /// Draws the image with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>) of
    /// <paramref name="framebuffer"/>; the part outside the framebuffer is decoded and dropped. Returns the header.
    /// </summary>
    public PngImageHeader Draw(ReadOnlySpan<byte> png, Framebuffer framebuffer, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(framebuffer);
        var header = ReadHeader(png);
        CheckPixelCap(header);
        DecodeCore(png, framebuffer.Pixels, framebuffer.Width, framebuffer.Width, framebuffer.Height, x, y);
        return header;
    }

    private void CheckPixelCap(PngImageHeader header)
    {
        if (header.PixelCount > _maxPixels)
        {
            throw new DecodeException(What, Signature.Length + 8, $"image {header.Width}x{header.Height} exceeds the cap of {_maxPixels} pixels");
        }
    }

    /// <summary>
    /// Walks and checks every chunk, then inflates and unfilters the scanlines into the window
    /// (<paramref name="destWidth"/> x <paramref name="destHeight"/>, rows <paramref name="stride"/> apart) at
    /// (<paramref name="x0"/>, <paramref name="y0"/>).
    /// </summary>
    private void DecodeCore(ReadOnlySpan<byte> png, Span<uint> destination, int stride, int destWidth, int destHeight, int x0, int y0)
    {
        var header = ReadHeader(png);
        var pos = Signature.Length;
        ReadChunk(png, ref pos); // IHDR, read above
        var paletteCount = 0;
        long idatBytes = 0;
        var idatStart = -1;
        var idatEnded = false;
        var ended = false;
        while (!ended)
        {
            var at = pos;
            if (pos == png.Length)
            {
                throw new DecodeException(What, pos, "the data ends before the IEND chunk");
            }
            var chunk = ReadChunk(png, ref pos);
            if (idatStart >= 0 && !chunk.Type.SequenceEqual("IDAT"u8))
            {
                idatEnded = true;
            }
            if (chunk.Type.SequenceEqual("IHDR"u8))
            {
                throw new DecodeException(What, at, "a second IHDR chunk");
            }
            else if (chunk.Type.SequenceEqual("PLTE"u8))
            {
                if (idatStart >= 0 || paletteCount > 0)
                {
                    throw new DecodeException(What, at, "PLTE after IDAT or a second PLTE");
                }
                if (header.ColorType is PngImageHeader.ColorTypeGreyscale or PngImageHeader.ColorTypeGreyscaleAlpha)
                {
                    throw new DecodeException(What, at, "PLTE in a greyscale image");
                }
                if (chunk.Data.Length == 0 || chunk.Data.Length % 3 != 0 || chunk.Data.Length / 3 > 256)
                {
                    throw new DecodeException(What, at, $"PLTE length {chunk.Data.Length} is not 3 to 768 bytes in steps of 3");
                }
                paletteCount = chunk.Data.Length / 3;
                if (header.ColorType == PngImageHeader.ColorTypeIndexed && paletteCount > 1 << header.BitDepth)
                {
                    throw new DecodeException(What, at, $"PLTE has {paletteCount} entries, more than bit depth {header.BitDepth} can index");
                }
                for (var i = 0; i < paletteCount; i++)
                {
                    _palette[i] = (uint)((chunk.Data[i * 3] << 16) | (chunk.Data[(i * 3) + 1] << 8) | chunk.Data[(i * 3) + 2]);
                }
            }
            else if (chunk.Type.SequenceEqual("IDAT"u8))
            {
                if (idatEnded)
                {
                    throw new DecodeException(What, at, "IDAT chunks are not consecutive");
                }
                if (idatStart < 0)
                {
                    idatStart = at;
                }
                idatBytes += chunk.Data.Length;
            }
            else if (chunk.Type.SequenceEqual("IEND"u8))
            {
                if (chunk.Data.Length != 0)
                {
                    throw new DecodeException(What, at, "IEND has data");
                }
                ended = true;
            }
            else if ((chunk.Type[0] & 0x20) == 0)
            {
                throw new DecodeException(What, at + 4, $"unknown critical chunk {ChunkName(chunk.Type)}");
            }
        }
        if (pos != png.Length)
        {
            throw new DecodeException(What, pos, $"{png.Length - pos} bytes follow the IEND chunk");
        }
        if (idatStart < 0)
        {
            throw new DecodeException(What, pos, "no IDAT chunk");
        }
        if (header.ColorType == PngImageHeader.ColorTypeIndexed && paletteCount == 0)
        {
            throw new DecodeException(What, idatStart, "an indexed-colour image without PLTE");
        }

        var compressed = ArrayPool<byte>.Shared.Rent((int)idatBytes);
        try
        {
            var used = 0;
            var p = idatStart;
            while (used < idatBytes)
            {
                var chunk = ReadChunk(png, ref p);
                chunk.Data.CopyTo(compressed.AsSpan(used));
                used += chunk.Data.Length;
            }
            using var source = new MemoryStream(compressed, 0, used, writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            Unfilter(zlib, header, paletteCount, destination, stride, destWidth, destHeight, x0, y0, idatStart);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private void Unfilter(ZLibStream zlib, PngImageHeader header, int paletteCount, Span<uint> destination, int stride,
        int destWidth, int destHeight, int x0, int y0, int idatAt)
    {
        var rowBytes = header.RowBytes;
        if (_prev.Length < rowBytes + 1)
        {
            _prev = new byte[rowBytes + 1];
            _cur = new byte[rowBytes + 1];
        }
        var prev = _prev.AsSpan(0, rowBytes);
        prev.Clear();
        var line = _cur.AsSpan(0, rowBytes + 1);
        var bpp = header.FilterStride;
        // The columns of the image that land inside the window.
        var fromX = Math.Max(0, -x0);
        var toX = (int)Math.Min(header.Width, (long)destWidth - x0);
        for (var y = 0; y < header.Height; y++)
        {
            Inflate(zlib, line, idatAt, y);
            var filter = line[0];
            var cur = line[1..];
            UnfilterRow(filter, cur, prev, bpp, idatAt, y);
            var dy = (long)y0 + y;
            if (dy >= 0 && dy < destHeight && fromX < toX)
            {
                var row = destination.Slice((int)(dy * stride) + x0 + fromX, toX - fromX);
                WriteRow(header, cur, paletteCount, fromX, row, idatAt);
            }
            // The unfiltered row becomes the previous row: swap the buffers.
            cur.CopyTo(prev);
        }
        int extra;
        try
        {
            extra = zlib.Read(_probe);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new DecodeException(What, idatAt, $"corrupt zlib data after the last scanline: {e.Message}");
        }
        if (extra != 0)
        {
            throw new DecodeException(What, idatAt, "the image data inflates to more than its scanlines");
        }
    }

    private static void Inflate(ZLibStream zlib, Span<byte> line, int idatAt, int y)
    {
        var total = 0;
        try
        {
            while (total < line.Length)
            {
                var n = zlib.Read(line[total..]);
                if (n == 0)
                {
                    break;
                }
                total += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // InvalidDataException for bad deflate data; ZLibException (an IOException) for other zlib errors.
            throw new DecodeException(What, idatAt, $"corrupt zlib data in scanline {y}: {e.Message}");
        }
        if (total < line.Length)
        {
            throw new DecodeException(What, idatAt, $"the image data ends in scanline {y}");
        }
    }

    private static void UnfilterRow(byte filter, Span<byte> cur, ReadOnlySpan<byte> prev, int bpp, int idatAt, int y)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (var i = bpp; i < cur.Length; i++)
                {
                    cur[i] += cur[i - bpp];
                }
                break;
            case 2:
                for (var i = 0; i < cur.Length; i++)
                {
                    cur[i] += prev[i];
                }
                break;
            case 3:
                for (var i = 0; i < cur.Length; i++)
                {
                    var left = i >= bpp ? cur[i - bpp] : 0;
                    cur[i] += (byte)((left + prev[i]) >> 1);
                }
                break;
            case 4:
                for (var i = 0; i < cur.Length; i++)
                {
                    int a = i >= bpp ? cur[i - bpp] : 0;
                    int b = prev[i];
                    int c = i >= bpp ? prev[i - bpp] : 0;
                    cur[i] += (byte)Paeth(a, b, c);
                }
                break;
            default:
                throw new DecodeException(What, idatAt, $"scanline {y} has filter type {filter}; only 0-4 exist");
        }
    }

    /// <summary>The Paeth predictor (PNG 9.4).</summary>
    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }
        return pb <= pc ? b : c;
    }

    /// <summary>Converts image columns fromX.. of one unfiltered scanline into 0x00RRGGBB pixels of <paramref name="row"/>.</summary>
    private void WriteRow(PngImageHeader header, ReadOnlySpan<byte> line, int paletteCount, int fromX, Span<uint> row, int idatAt)
    {
        switch (header.ColorType)
        {
            case PngImageHeader.ColorTypeTrueColor:
                for (var i = 0; i < row.Length; i++)
                {
                    var s = (fromX + i) * 3;
                    row[i] = (uint)((line[s] << 16) | (line[s + 1] << 8) | line[s + 2]);
                }
                break;
            case PngImageHeader.ColorTypeTrueColorAlpha:
                for (var i = 0; i < row.Length; i++)
                {
                    var s = (fromX + i) * 4;
                    row[i] = Over((uint)((line[s] << 16) | (line[s + 1] << 8) | line[s + 2]), line[s + 3], row[i]);
                }
                break;
            case PngImageHeader.ColorTypeGreyscaleAlpha:
                for (var i = 0; i < row.Length; i++)
                {
                    var s = (fromX + i) * 2;
                    row[i] = Over(Grey(line[s]), line[s + 1], row[i]);
                }
                break;
            case PngImageHeader.ColorTypeGreyscale:
            {
                var depth = header.BitDepth;
                var max = (1 << depth) - 1;
                for (var i = 0; i < row.Length; i++)
                {
                    var v = Sample(line, fromX + i, depth);
                    row[i] = Grey((byte)(v * 255 / max));
                }
                break;
            }
            default:
            {
                var depth = header.BitDepth;
                for (var i = 0; i < row.Length; i++)
                {
                    var index = Sample(line, fromX + i, depth);
                    if (index >= paletteCount)
                    {
                        throw new DecodeException(What, idatAt, $"palette index {index} at column {fromX + i} is outside the {paletteCount}-entry PLTE");
                    }
                    row[i] = _palette[index];
                }
                break;
            }
        }
    }

    /// <summary>The <paramref name="depth"/>-bit sample of pixel <paramref name="x"/>, packed from the most significant bit (PNG 7.2).</summary>
    private static int Sample(ReadOnlySpan<byte> line, int x, int depth)
    {
        if (depth == 8)
        {
            return line[x];
        }
        var bit = x * depth;
        return (line[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }

    private static uint Grey(byte v) => (uint)((v << 16) | (v << 8) | v);

    /// <summary>Source-over of an 8-bit alpha pixel on an opaque one, rounded to nearest.</summary>
    private static uint Over(uint src, byte alpha, uint dst)
    {
        if (alpha == 255)
        {
            return src;
        }
        if (alpha == 0)
        {
            return dst & 0x00FFFFFFu;
        }
        uint Mix(int shift)
        {
            var s = (src >> shift) & 0xFF;
            var d = (dst >> shift) & 0xFF;
            return (((s * alpha) + (d * (255u - alpha)) + 127) / 255) << shift;
        }
        return Mix(16) | Mix(8) | Mix(0);
    }

    private static PngImageHeader ParseHeader(ReadOnlySpan<byte> data, int at)
    {
        if (data.Length != 13)
        {
            throw new DecodeException(What, at, $"IHDR has {data.Length} bytes, not 13");
        }
        var width = BinaryPrimitives.ReadUInt32BigEndian(data);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
        {
            throw new DecodeException(What, at, $"image size {width}x{height} is outside 1..2^31-1");
        }
        if (width > Framebuffer.MaxSide || height > Framebuffer.MaxSide)
        {
            throw new DecodeException(What, at, $"image size {width}x{height} exceeds {Framebuffer.MaxSide} pixels a side");
        }
        int depth = data[8];
        int colorType = data[9];
        var valid = colorType switch
        {
            PngImageHeader.ColorTypeGreyscale => depth is 1 or 2 or 4 or 8 or 16,
            PngImageHeader.ColorTypeIndexed => depth is 1 or 2 or 4 or 8,
            PngImageHeader.ColorTypeTrueColor or PngImageHeader.ColorTypeGreyscaleAlpha or PngImageHeader.ColorTypeTrueColorAlpha => depth is 8 or 16,
            _ => false,
        };
        if (!valid)
        {
            throw new DecodeException(What, at + 8, $"bit depth {depth} with colour type {colorType} is not a PNG format");
        }
        if (depth == 16)
        {
            throw new DecodeException(What, at + 8, "16-bit samples are not supported (screen images have 8)");
        }
        if (data[10] != 0)
        {
            throw new DecodeException(What, at + 10, $"compression method {data[10]} (only 0, deflate, exists)");
        }
        if (data[11] != 0)
        {
            throw new DecodeException(What, at + 11, $"filter method {data[11]} (only 0 exists)");
        }
        if (data[12] != 0)
        {
            throw new DecodeException(What, at + 12, data[12] == 1 ? "interlaced images are not supported" : $"interlace method {data[12]}");
        }
        return new PngImageHeader((int)width, (int)height, depth, colorType);
    }

    /// <summary>One chunk (PNG 5.3) at <paramref name="pos"/>: length and CRC checked; advances past it.</summary>
    private static Chunk ReadChunk(ReadOnlySpan<byte> png, ref int pos)
    {
        if (png.Length - pos < ChunkOverhead)
        {
            throw new DecodeException(What, pos, "truncated chunk header");
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
        if (length > int.MaxValue)
        {
            throw new DecodeException(What, pos, $"chunk length {length} exceeds 2^31-1");
        }
        if (length > png.Length - pos - ChunkOverhead)
        {
            throw new DecodeException(What, pos, $"chunk length {length} runs past the end of the data");
        }
        var type = png.Slice(pos + 4, 4);
        foreach (var c in type)
        {
            if (!char.IsAsciiLetter((char)c))
            {
                throw new DecodeException(What, pos + 4, "chunk type is not four ASCII letters");
            }
        }
        var data = png.Slice(pos + 8, (int)length);
        var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)length)..]);
        if (crc != Crc32.Compute(png.Slice(pos + 4, 4 + (int)length)))
        {
            throw new DecodeException(What, pos + 8 + length, $"CRC mismatch in chunk {ChunkName(type)}");
        }
        pos += ChunkOverhead + (int)length;
        return new Chunk(type, data);
    }

    private static string ChunkName(ReadOnlySpan<byte> type) => System.Text.Encoding.ASCII.GetString(type);

    private readonly ref struct Chunk(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        public ReadOnlySpan<byte> Type { get; } = type;

        public ReadOnlySpan<byte> Data { get; } = data;
    }
}
