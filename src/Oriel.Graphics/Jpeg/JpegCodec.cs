using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Oriel.Wire;

namespace Oriel.Graphics.Jpeg;

/// <summary>
/// Baseline JPEG (ITU-T T.81) encoding and decoding of 0x00RRGGBB pixels over an
/// <see cref="IJpegLibrary"/> the host provides (the core tier loads no native code). Decoding treats
/// its input as untrusted and checks it here, in managed code, before the library sees a byte: the
/// length is capped at <see cref="MaxJpegSize"/>, the frame header (<see cref="JpegFrameHeader"/>)
/// must say exactly the expected size (itself a valid <see cref="Framebuffer"/> size) with one or
/// three 8-bit components, and the destination must hold the image. Every failure on the data is a
/// <see cref="DecodeException"/>. An instance owns its library (disposing it when that is
/// <see cref="IDisposable"/>) and is NOT thread-safe: use one per connection or per encoder.
/// </summary>
public sealed class JpegCodec : IDisposable
{
    /// <summary>Largest compressed JPEG <see cref="Decode(ReadOnlySpan{byte}, int, int, Span{uint})"/> accepts.</summary>
    public const int MaxJpegSize = 64 * 1024 * 1024;

    /// <summary>Quality used when a caller has no opinion (1..100).</summary>
    public const int DefaultQuality = 80;

    private const string What = "JPEG";

    private readonly IJpegLibrary _library;
    private bool _disposed;

    /// <summary>Creates a codec over <paramref name="library"/>, which it owns from now on.</summary>
    public JpegCodec(IJpegLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        _library = library;
    }

    /// <summary>
    /// Compresses <paramref name="area"/> of <paramref name="framebuffer"/> as a 4:2:0 JPEG at
    /// <paramref name="quality"/> (1-100) and appends it to <paramref name="output"/>.
    /// Returns the number of bytes written.
    /// </summary>
    public int Encode(Framebuffer framebuffer, Rect area, int quality, IBufferWriter<byte> output) =>
        Encode(framebuffer, area, quality, output, JpegSubsampling.Chroma420);

    /// <summary>
    /// Compresses <paramref name="area"/> of <paramref name="framebuffer"/> at <paramref name="quality"/>
    /// (1-100) with the given chroma <paramref name="subsampling"/> and appends it to
    /// <paramref name="output"/>. Returns the number of bytes written.
    /// </summary>
    public int Encode(Framebuffer framebuffer, Rect area, int quality, IBufferWriter<byte> output, JpegSubsampling subsampling)
    {
        ArgumentNullException.ThrowIfNull(framebuffer);
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (area.IsEmpty || !framebuffer.Contains(area))
        {
            throw new ArgumentOutOfRangeException(nameof(area), $"{area} is empty or outside the {framebuffer.Width}x{framebuffer.Height} framebuffer");
        }
        if (subsampling is < JpegSubsampling.Chroma444 or > JpegSubsampling.Gray)
        {
            throw new ArgumentOutOfRangeException(nameof(subsampling));
        }
        var bound = _library.MaxCompressedSize(area.Width, area.Height, subsampling);
        if (bound <= 0)
        {
            throw new InvalidOperationException($"the JPEG library gives no usable buffer bound for {area}");
        }
        var destination = output.GetSpan(bound);
        var source = framebuffer.Pixels.Slice(area.Y * framebuffer.Width + area.X);
        var written = _library.Compress(source, area.Width, area.Height, framebuffer.Width, quality, subsampling, destination);
        if (written <= 0 || written > destination.Length)
        {
            throw new InvalidOperationException($"the JPEG library reported {written} bytes for a {destination.Length}-byte buffer");
        }
        output.Advance(written);
        return written;
    }

    /// <summary>
    /// Decompresses <paramref name="jpeg"/> into <paramref name="destination"/> (0x00RRGGBB, row-major,
    /// stride <paramref name="expectedWidth"/>). The header is read first: a malformed JPEG, one of
    /// another size, or one in CMYK throws <see cref="DecodeException"/> before any pixel is
    /// decompressed. Corrupt entropy-coded data also throws; <paramref name="destination"/> may then
    /// hold a partial image.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> jpeg, int expectedWidth, int expectedHeight, Span<uint> destination)
    {
        CheckExpected(expectedWidth, expectedHeight);
        if (destination.Length < (long)expectedWidth * expectedHeight)
        {
            throw new ArgumentException($"destination holds {destination.Length} pixels, fewer than {expectedWidth}x{expectedHeight}", nameof(destination));
        }
        DecodeCore(jpeg, expectedWidth, expectedHeight, destination, expectedWidth);
    }

    /// <summary>
    /// Decompresses <paramref name="jpeg"/> straight into <paramref name="area"/> of
    /// <paramref name="framebuffer"/>; the JPEG must be exactly the size of the area. Same checks
    /// and exceptions as <see cref="Decode(ReadOnlySpan{byte}, int, int, Span{uint})"/>.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> jpeg, Framebuffer framebuffer, Rect area)
    {
        ArgumentNullException.ThrowIfNull(framebuffer);
        if (area.IsEmpty || !framebuffer.Contains(area))
        {
            throw new ArgumentOutOfRangeException(nameof(area), $"{area} is empty or outside the {framebuffer.Width}x{framebuffer.Height} framebuffer");
        }
        var destination = framebuffer.Pixels.Slice(area.Y * framebuffer.Width + area.X);
        DecodeCore(jpeg, area.Width, area.Height, destination, framebuffer.Width);
    }

    /// <summary>
    /// Reads only the frame header of <paramref name="jpeg"/>: its width and height. Throws
    /// <see cref="DecodeException"/> when the header is malformed.
    /// </summary>
    public (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        var header = ReadHeader(jpeg);
        return (header.Width, header.Height);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        (_library as IDisposable)?.Dispose();
    }

    private static void CheckExpected(int width, int height)
    {
        if (!Framebuffer.IsValidSize(width, height))
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"expected size {width}x{height} is not a valid image size");
        }
    }

    private JpegFrameHeader ReadHeader(ReadOnlySpan<byte> jpeg)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (jpeg.IsEmpty)
        {
            throw new DecodeException(What, 0, "no data");
        }
        DecodeException.ThrowIfOverCap(What, jpeg.Length, MaxJpegSize);
        return JpegFrameHeader.Read(jpeg);
    }

    private void DecodeCore(ReadOnlySpan<byte> jpeg, int width, int height, Span<uint> destination, int stride)
    {
        var header = ReadHeader(jpeg);
        if (header.Width != width || header.Height != height)
        {
            throw new DecodeException(What, 0, $"image is {header.Width}x{header.Height}, expected {width}x{height}");
        }
        if (header.Components is not (1 or 3))
        {
            throw new DecodeException(What, 0, $"{header.Components} colour components (CMYK/YCCK) is not a screen image");
        }
        if (header.Precision != 8)
        {
            throw new DecodeException(What, 0, $"{header.Precision}-bit samples; screen images have 8");
        }
        var needed = (long)(height - 1) * stride + width;
        if (destination.Length < needed)
        {
            throw new ArgumentException("destination too small", nameof(destination));
        }
        if (!_library.TryDecompress(jpeg, width, height, destination, stride, out var error))
        {
            throw new DecodeException(What, 0, $"data refused: {error}");
        }
        // Libraries fill the X byte (TurboJPEG with 0xFF); framebuffer pixels keep the top byte 0.
        for (var y = 0; y < height; y++)
        {
            ClearTopByte(destination.Slice(y * stride, width));
        }
    }

    private static void ClearTopByte(Span<uint> row)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<uint>.Count)
        {
            var mask = new Vector<uint>(0x00FFFFFFu);
            var vectors = MemoryMarshal.Cast<uint, Vector<uint>>(row);
            for (var v = 0; v < vectors.Length; v++)
            {
                vectors[v] &= mask;
            }
            i = vectors.Length * Vector<uint>.Count;
        }
        for (; i < row.Length; i++)
        {
            row[i] &= 0x00FFFFFFu;
        }
    }
}
