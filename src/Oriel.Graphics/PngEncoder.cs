using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Oriel.Graphics;

/// <summary>
/// Encodes a rectangle of a <see cref="Framebuffer"/> as a PNG image (PNG specification, 3rd
/// edition: signature 5.2; IHDR 11.2.1; PLTE 11.2.2; IDAT 11.2.3; IEND 11.2.4; filters 9; zlib
/// 10): 8-bit RGB (colour type 2), or indexed colour (type 3, bit depth 1/2/4/8) when the area has
/// at most 256 colours and <see cref="PngEncoderOptions.UsePalette"/> is set.
/// </summary>
/// <remarks>
/// An instance keeps its row, palette and index buffers between calls, so encoding allocates
/// nothing but zlib's own state. Not thread-safe: use one instance per encoding thread.
/// </remarks>
public sealed partial class PngEncoder
{
    private const int ColorTypeTrueColor = 2;
    private const int ColorTypeIndexed = 3;
    private const int BatchSize = 64 * 1024;

    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    private readonly PngEncoderOptions _options;
    private readonly IdatChunkStream _idat = new();
    private readonly ZLibCompressionOptions _trueColorZlib;
    private readonly ZLibCompressionOptions _indexedZlib;
    private byte[] _prev = [];
    private byte[] _cur = [];
    private byte[] _batch = [];
    private byte[] _candidates = [];

    public PngEncoder(PngEncoderOptions? options = null)
    {
        _options = options ?? PngEncoderOptions.Default;
        if (_options.MaxIdatChunkSize is < 4096 or > 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxIdatChunkSize must be 4 KiB .. 1 MiB");
        }
        if (!Enum.IsDefined(_options.Filter)) throw new ArgumentOutOfRangeException(nameof(options), "unknown filter");
        if (_options.ZLibLevel is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(options), "ZLibLevel must be 0 .. 9");
        var fastest = _options.CompressionLevel == CompressionLevel.Fastest;
        var level = _options.CompressionLevel switch
        {
            CompressionLevel.NoCompression => 0,
            CompressionLevel.Fastest => 1,
            CompressionLevel.SmallestSize => 9,
            _ => 6,
        };
        _trueColorZlib = new ZLibCompressionOptions
        {
            CompressionLevel = _options.ZLibLevel ?? level,
            CompressionStrategy = _options.Strategy ?? (fastest ? ZLibCompressionStrategy.RunLengthEncoding : ZLibCompressionStrategy.Default),
        };
        _indexedZlib = new ZLibCompressionOptions
        {
            CompressionLevel = _options.ZLibLevel ?? (fastest ? 2 : level),
            CompressionStrategy = _options.Strategy ?? ZLibCompressionStrategy.Default,
        };
    }

    public PngEncoderOptions Options => _options;

    /// <summary>True when the last <see cref="Encode"/> produced an indexed-colour image.</summary>
    public bool LastUsedPalette { get; private set; }

    /// <summary>Bit depth of the last image (8 for true colour; 1, 2, 4 or 8 for indexed).</summary>
    public int LastBitDepth { get; private set; }

    /// <summary>
    /// Writes <paramref name="area"/> of <paramref name="framebuffer"/> as one complete PNG file
    /// into <paramref name="output"/> and returns the number of bytes written.
    /// </summary>
    public int Encode(Framebuffer framebuffer, Rect area, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(framebuffer);
        ArgumentNullException.ThrowIfNull(output);
        if (area.IsEmpty || !framebuffer.Contains(area))
        {
            throw new ArgumentOutOfRangeException(nameof(area), $"area {area} is empty or outside the {framebuffer.Width}x{framebuffer.Height} framebuffer");
        }

        var paletteCount = _options.UsePalette ? BuildPalette(framebuffer, area) : -1;
        var indexed = paletteCount > 0;
        var bitDepth = indexed ? BitDepthFor(paletteCount) : 8;
        var rowBytes = indexed ? ((area.Width * bitDepth) + 7) / 8 : area.Width * 3;
        LastUsedPalette = indexed;
        LastBitDepth = bitDepth;

        long written = Signature.Length;
        Signature.CopyTo(output.GetSpan(Signature.Length));
        output.Advance(Signature.Length);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, area.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], area.Height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = indexed ? (byte)ColorTypeIndexed : (byte)ColorTypeTrueColor;
        ihdr[10] = 0; // compression method 0: zlib deflate
        ihdr[11] = 0; // filter method 0: the five adaptive filters
        ihdr[12] = 0; // no interlace
        written += WriteChunk(output, "IHDR"u8, ihdr);

        if (indexed)
        {
            Span<byte> plte = stackalloc byte[paletteCount * 3];
            for (var i = 0; i < paletteCount; i++)
            {
                var c = _palette[i];
                plte[i * 3] = (byte)(c >> 16);
                plte[(i * 3) + 1] = (byte)(c >> 8);
                plte[(i * 3) + 2] = (byte)c;
            }
            written += WriteChunk(output, "PLTE"u8, plte);
        }

        EnsureBuffers(rowBytes);
        _idat.Reset(output, _options.MaxIdatChunkSize);
        using (var zlib = new ZLibStream(_idat, indexed ? _indexedZlib : _trueColorZlib, leaveOpen: true))
        {
            if (indexed) WriteIndexedRows(zlib, area, bitDepth, rowBytes);
            else WriteTrueColorRows(zlib, framebuffer, area, rowBytes);
        }
        _idat.Finish();
        written += _idat.BytesWritten;
        written += WriteChunk(output, "IEND"u8, []);
        return checked((int)written);
    }

    private static int BitDepthFor(int colors) => colors switch
    {
        <= 2 => 1,
        <= 4 => 2,
        <= 16 => 4,
        _ => 8,
    };

    private void WriteTrueColorRows(ZLibStream zlib, Framebuffer framebuffer, Rect area, int rowBytes)
    {
        var filter = _options.Filter;
        var prev = _prev.AsSpan(0, rowBytes);
        var cur = _cur.AsSpan(0, rowBytes);
        prev.Clear();
        var used = 0;
        for (var y = 0; y < area.Height; y++)
        {
            if (used + rowBytes + 1 > _batch.Length)
            {
                zlib.Write(_batch.AsSpan(0, used));
                used = 0;
            }
            var dst = _batch.AsSpan(used, rowBytes + 1);
            ConvertRow(framebuffer.Row(area.Y + y).Slice(area.X, area.Width), cur);
            FilterRow(filter, cur, prev, 3, dst);
            used += rowBytes + 1;
            var t = prev;
            prev = cur;
            cur = t;
        }
        zlib.Write(_batch.AsSpan(0, used));
    }

    private void WriteIndexedRows(ZLibStream zlib, Rect area, int bitDepth, int rowBytes)
    {
        var used = 0;
        var w = area.Width;
        for (var y = 0; y < area.Height; y++)
        {
            if (used + rowBytes + 1 > _batch.Length)
            {
                zlib.Write(_batch.AsSpan(0, used));
                used = 0;
            }
            var dst = _batch.AsSpan(used, rowBytes + 1);
            dst[0] = (byte)PngFilter.None;
            PackIndices(_indices.AsSpan(y * w, w), bitDepth, dst[1..]);
            used += rowBytes + 1;
        }
        zlib.Write(_batch.AsSpan(0, used));
    }

    private void EnsureBuffers(int rowBytes)
    {
        if (_prev.Length < rowBytes)
        {
            _prev = new byte[rowBytes];
            _cur = new byte[rowBytes];
        }
        var batch = Math.Max(BatchSize, rowBytes + 1);
        if (_batch.Length < batch) _batch = new byte[batch];
        if (_options.Filter == PngFilter.Adaptive && _candidates.Length < 4 * rowBytes) _candidates = new byte[4 * rowBytes];
    }

    /// <summary>Writes one chunk: length, type, data, CRC-32 of type and data (PNG 3rd edition, 5.3).</summary>
    private static int WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var size = 12 + data.Length;
        var span = output.GetSpan(size);
        BinaryPrimitives.WriteInt32BigEndian(span, data.Length);
        type.CopyTo(span[4..]);
        data.CopyTo(span[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[(8 + data.Length)..], Crc32.Compute(span.Slice(4, 4 + data.Length)));
        output.Advance(size);
        return size;
    }
}
