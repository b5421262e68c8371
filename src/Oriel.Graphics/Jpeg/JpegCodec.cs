using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Oriel.Wire;

namespace Oriel.Graphics.Jpeg;

/// <summary>
/// Baseline JPEG (ITU-T T.81) encoding and decoding of 0x00RRGGBB pixels through libjpeg-turbo's
/// TurboJPEG API (Debian package <c>libturbojpeg0</c>). Each instance owns its own native
/// compressor and decompressor handles, made on first use; an instance is NOT thread-safe — use
/// one per connection or per encoder, and dispose it. Decoding treats its input as untrusted:
/// the header is read and checked against the expected size before any pixel is decompressed,
/// progressive images are limited to 500 scans, and every failure is a
/// <see cref="DecodeException"/>. Check <see cref="IsAvailable"/> before constructing when the
/// library is optional; the constructor throws <see cref="DllNotFoundException"/> naming the
/// package when it is missing.
/// </summary>
public sealed unsafe class JpegCodec : IDisposable
{
    /// <summary>Largest compressed JPEG <see cref="Decode(ReadOnlySpan{byte}, int, int, Span{uint})"/> accepts.</summary>
    public const int MaxJpegSize = 64 * 1024 * 1024;

    /// <summary>Quality used when a caller has no opinion (TurboJPEG's 1..100 scale).</summary>
    public const int DefaultQuality = 80;

    private const string What = "JPEG";

    private static readonly Lazy<bool> Available = new(Probe);

    private static readonly int PixelFormat = BitConverter.IsLittleEndian ? TurboJpeg.PixelFormatBgrx : TurboJpeg.PixelFormatXrgb;

    private TurboJpegHandle? _compressor;
    private TurboJpegHandle? _decompressor;
    private bool _disposed;

    /// <summary>Creates a codec; throws <see cref="DllNotFoundException"/> when libturbojpeg cannot be loaded.</summary>
    public JpegCodec()
    {
        if (!IsAvailable)
        {
            throw new DllNotFoundException(MissingLibraryMessage);
        }
    }

    /// <summary>True when libjpeg-turbo's TurboJPEG library loads and exports the calls this codec uses.</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>What to tell an operator when <see cref="IsAvailable"/> is false.</summary>
    public static string MissingLibraryMessage =>
        $"JPEG needs libjpeg-turbo's TurboJPEG library ({TurboJpeg.LibraryName}); install the Debian package {TurboJpeg.DebianPackage} (apt-get install {TurboJpeg.DebianPackage})";

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

        var bound = TurboJpeg.tjBufSize(area.Width, area.Height, (int)subsampling).Value;
        if (bound == 0 || bound > int.MaxValue)
        {
            throw new InvalidOperationException($"TurboJPEG gives no usable buffer bound for {area}");
        }
        var handle = _compressor ??= TurboJpegHandle.CreateCompressor();
        var destination = output.GetSpan((int)bound);
        var source = framebuffer.Pixels.Slice(area.Y * framebuffer.Width + area.X);
        CULong size = new((nuint)destination.Length);
        int rc;
        fixed (uint* src = source)
        fixed (byte* dst = destination)
        {
            var jpeg = dst;
            rc = TurboJpeg.tjCompress2(
                handle, (byte*)src, area.Width, framebuffer.Width * sizeof(uint), area.Height, PixelFormat,
                &jpeg, &size, (int)subsampling, quality, TurboJpeg.FlagNoRealloc);
            if (rc == 0 && jpeg != dst)
            {
                // Cannot happen with NOREALLOC; refuse rather than leak or read the wrong buffer.
                throw new InvalidOperationException("TurboJPEG moved the output buffer despite NOREALLOC");
            }
        }
        GC.KeepAlive(framebuffer);
        if (rc != 0)
        {
            throw new InvalidOperationException($"TurboJPEG could not compress {area}: {handle.LastError()}");
        }
        var written = checked((int)size.Value);
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
    /// Reads only the header of <paramref name="jpeg"/>: its width and height. Throws
    /// <see cref="DecodeException"/> when the header is malformed.
    /// </summary>
    public (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        var (w, h, _) = ReadHeader(jpeg);
        return (w, h);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _compressor?.Dispose();
        _decompressor?.Dispose();
    }

    private static void CheckExpected(int width, int height)
    {
        if (!Framebuffer.IsValidSize(width, height))
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"expected size {width}x{height} is not a valid image size");
        }
    }

    private (int Width, int Height, int Colorspace) ReadHeader(ReadOnlySpan<byte> jpeg)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (jpeg.IsEmpty)
        {
            throw new DecodeException(What, 0, "no data");
        }
        DecodeException.ThrowIfOverCap(What, jpeg.Length, MaxJpegSize);
        var handle = _decompressor ??= TurboJpegHandle.CreateDecompressor();
        int w, h, subsampling, colorspace;
        int rc;
        fixed (byte* p = jpeg)
        {
            rc = TurboJpeg.tjDecompressHeader3(handle, p, new CULong((nuint)jpeg.Length), &w, &h, &subsampling, &colorspace);
        }
        if (rc != 0)
        {
            throw new DecodeException(What, 0, $"header refused: {handle.LastError()}");
        }
        return (w, h, colorspace);
    }

    private void DecodeCore(ReadOnlySpan<byte> jpeg, int width, int height, Span<uint> destination, int stride)
    {
        var (w, h, colorspace) = ReadHeader(jpeg);
        if (w != width || h != height)
        {
            throw new DecodeException(What, 0, $"image is {w}x{h}, expected {width}x{height}");
        }
        if (colorspace is not (TurboJpeg.ColorspaceYCbCr or TurboJpeg.ColorspaceGray or TurboJpeg.ColorspaceRgb))
        {
            throw new DecodeException(What, 0, $"colour space {colorspace} (CMYK/YCCK) is not a screen image");
        }
        var needed = (long)(height - 1) * stride + width;
        if (destination.Length < needed)
        {
            throw new ArgumentException("destination too small", nameof(destination));
        }
        var handle = _decompressor!;
        int rc;
        fixed (byte* src = jpeg)
        fixed (uint* dst = destination)
        {
            rc = TurboJpeg.tjDecompress2(
                handle, src, new CULong((nuint)jpeg.Length), (byte*)dst, width, stride * sizeof(uint), height, PixelFormat,
                TurboJpeg.FlagLimitScans | TurboJpeg.FlagStopOnWarning);
        }
        if (rc != 0)
        {
            throw new DecodeException(What, 0, $"data refused: {handle.LastError()}");
        }
        // TurboJPEG fills the X byte with 0xFF; framebuffer pixels keep the top byte 0.
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

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(TurboJpeg.LibraryName, typeof(JpegCodec).Assembly, null, out var lib))
        {
            return false;
        }
        string[] exports = ["tjInitCompress", "tjInitDecompress", "tjDestroy", "tjBufSize", "tjCompress2", "tjDecompressHeader3", "tjDecompress2", "tjGetErrorStr2", "tjGetErrorCode"];
        foreach (var name in exports)
        {
            if (!NativeLibrary.TryGetExport(lib, name, out _))
            {
                return false;
            }
        }
        return true;
    }
}
