using System.Runtime.InteropServices;
using Oriel.Graphics.Jpeg;

namespace Oriel.Graphics.TurboJpeg;

/// <summary>
/// <see cref="IJpegLibrary"/> over libjpeg-turbo's TurboJPEG API (Debian package <c>libturbojpeg0</c>).
/// Each instance owns its own native compressor and decompressor handles, made on first use; an
/// instance is NOT thread-safe — wrap one in a <see cref="JpegCodec"/> per connection or per
/// encoder, and dispose it. <see cref="JpegCodec"/> has checked the frame header before
/// <see cref="TryDecompress"/> runs; TurboJPEG reads it again and must agree, progressive images are
/// limited to 500 scans, and warnings are failures. Check <see cref="IsAvailable"/> before
/// constructing when the library is optional; the constructor throws
/// <see cref="DllNotFoundException"/> naming the package when it is missing.
/// </summary>
public sealed unsafe class TurboJpegLibrary : IJpegLibrary, IDisposable
{
    private static readonly Lazy<bool> Available = new(Probe);

    private static readonly int PixelFormat = BitConverter.IsLittleEndian ? TurboJpegNative.PixelFormatBgrx : TurboJpegNative.PixelFormatXrgb;

    private TurboJpegHandle? _compressor;
    private TurboJpegHandle? _decompressor;
    private bool _disposed;

    /// <summary>Creates a binding; throws <see cref="DllNotFoundException"/> when libturbojpeg cannot be loaded.</summary>
    public TurboJpegLibrary()
    {
        if (!IsAvailable)
        {
            throw new DllNotFoundException(MissingLibraryMessage);
        }
    }

    /// <summary>True when libjpeg-turbo's TurboJPEG library loads and exports the calls this binding uses.</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>What to tell an operator when <see cref="IsAvailable"/> is false.</summary>
    public static string MissingLibraryMessage =>
        $"JPEG needs libjpeg-turbo's TurboJPEG library ({TurboJpegNative.LibraryName}); install the Debian package {TurboJpegNative.DebianPackage} (apt-get install {TurboJpegNative.DebianPackage})";

    /// <summary>A <see cref="JpegCodec"/> over a new binding; throws <see cref="DllNotFoundException"/> when the library is missing.</summary>
    public static JpegCodec CreateCodec() => new(new TurboJpegLibrary());

    /// <summary>A <see cref="JpegCodec"/> over a new binding, or null when the library is missing.</summary>
    public static JpegCodec? TryCreateCodec() => IsAvailable ? CreateCodec() : null;

    public int MaxCompressedSize(int width, int height, JpegSubsampling subsampling)
    {
        var bound = TurboJpegNative.tjBufSize(width, height, (int)subsampling).Value;
        if (bound == 0 || bound > int.MaxValue)
        {
            throw new InvalidOperationException($"TurboJPEG gives no usable buffer bound for {width}x{height}");
        }
        return (int)bound;
    }

    public int Compress(ReadOnlySpan<uint> pixels, int width, int height, int stride, int quality, JpegSubsampling subsampling, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckPixels(pixels.Length, width, height, stride);
        if (destination.Length < MaxCompressedSize(width, height, subsampling))
        {
            throw new ArgumentException("destination is smaller than the compressed size bound", nameof(destination));
        }
        var handle = _compressor ??= TurboJpegHandle.CreateCompressor();
        CULong size = new((nuint)destination.Length);
        int rc;
        fixed (uint* src = pixels)
        fixed (byte* dst = destination)
        {
            var jpeg = dst;
            rc = TurboJpegNative.tjCompress2(
                handle, (byte*)src, width, stride * sizeof(uint), height, PixelFormat,
                &jpeg, &size, (int)subsampling, quality, TurboJpegNative.FlagNoRealloc);
            if (rc == 0 && jpeg != dst)
            {
                // Cannot happen with NOREALLOC; refuse rather than leak or read the wrong buffer.
                throw new InvalidOperationException("TurboJPEG moved the output buffer despite NOREALLOC");
            }
        }
        if (rc != 0)
        {
            throw new InvalidOperationException($"TurboJPEG could not compress {width}x{height}: {handle.LastError()}");
        }
        return checked((int)size.Value);
    }

    public bool TryDecompress(ReadOnlySpan<byte> jpeg, int width, int height, Span<uint> destination, int stride, out string error)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckPixels(destination.Length, width, height, stride);
        var handle = _decompressor ??= TurboJpegHandle.CreateDecompressor();
        int w, h, subsampling, colorspace;
        int rc;
        fixed (byte* p = jpeg)
        {
            rc = TurboJpegNative.tjDecompressHeader3(handle, p, new CULong((nuint)jpeg.Length), &w, &h, &subsampling, &colorspace);
        }
        if (rc != 0)
        {
            error = $"header refused: {handle.LastError()}";
            return false;
        }
        if (w != width || h != height)
        {
            // tjDecompress2 would scale to fit; a disagreement with the managed header reading is damage.
            error = $"TurboJPEG reads the image as {w}x{h}, not {width}x{height}";
            return false;
        }
        if (colorspace is not (TurboJpegNative.ColorspaceYCbCr or TurboJpegNative.ColorspaceGray or TurboJpegNative.ColorspaceRgb))
        {
            error = $"colour space {colorspace} (CMYK/YCCK) is not a screen image";
            return false;
        }
        fixed (byte* src = jpeg)
        fixed (uint* dst = destination)
        {
            rc = TurboJpegNative.tjDecompress2(
                handle, src, new CULong((nuint)jpeg.Length), (byte*)dst, width, stride * sizeof(uint), height, PixelFormat,
                TurboJpegNative.FlagLimitScans | TurboJpegNative.FlagStopOnWarning);
        }
        if (rc != 0)
        {
            error = handle.LastError();
            return false;
        }
        error = "";
        return true;
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

    private static void CheckPixels(int length, int width, int height, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width);
        if (length < (long)(height - 1) * stride + width)
        {
            throw new ArgumentException($"{length} pixels cannot hold {width}x{height} at stride {stride}");
        }
    }

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(TurboJpegNative.LibraryName, typeof(TurboJpegLibrary).Assembly, null, out var lib))
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
