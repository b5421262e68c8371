using System.Runtime.InteropServices;

namespace Oriel.Graphics.TurboJpeg;

/// <summary>
/// P/Invoke binding to the TurboJPEG API 2.1 of libjpeg-turbo (Debian package <c>libturbojpeg0</c>,
/// <c>libturbojpeg.so.0</c>). Only the calls <see cref="TurboJpegLibrary"/> needs. Signatures follow
/// <c>turbojpeg.h</c>; <c>unsigned long</c> is <see cref="CULong"/> so the binding stays right on
/// LLP64 platforms too. Every function returns -1 on failure and leaves a message readable with
/// <see cref="tjGetErrorStr2"/>.
/// </summary>
internal static unsafe partial class TurboJpegNative
{
    /// <summary>The shared object name as Debian installs it.</summary>
    public const string LibraryName = "libturbojpeg.so.0";

    /// <summary>The Debian package that provides <see cref="LibraryName"/>.</summary>
    public const string DebianPackage = "libturbojpeg0";

    // TJPF_*: pixel formats. BGRX is a little-endian 0x00RRGGBB uint; XRGB the big-endian one.
    public const int PixelFormatBgrx = 3;
    public const int PixelFormatXrgb = 5;

    // TJSAMP_*: chroma subsampling.
    public const int Subsampling444 = 0;
    public const int Subsampling422 = 1;
    public const int Subsampling420 = 2;
    public const int SubsamplingGray = 3;
    public const int Subsampling440 = 4;
    public const int Subsampling411 = 5;

    // TJCS_*: JPEG colour spaces.
    public const int ColorspaceRgb = 0;
    public const int ColorspaceYCbCr = 1;
    public const int ColorspaceGray = 2;
    public const int ColorspaceCmyk = 3;
    public const int ColorspaceYcck = 4;

    // TJFLAG_*.
    public const int FlagNoRealloc = 1024;
    public const int FlagStopOnWarning = 8192;
    /// <summary>Refuse progressive JPEGs with more than 500 scans (a CPU-exhaustion guard).</summary>
    public const int FlagLimitScans = 32768;

    // TJERR_*.
    public const int ErrorWarning = 0;
    public const int ErrorFatal = 1;

    [LibraryImport(LibraryName)]
    public static partial nint tjInitCompress();

    [LibraryImport(LibraryName)]
    public static partial nint tjInitDecompress();

    [LibraryImport(LibraryName)]
    public static partial int tjDestroy(nint handle);

    [LibraryImport(LibraryName)]
    public static partial CULong tjBufSize(int width, int height, int jpegSubsamp);

    [LibraryImport(LibraryName)]
    public static partial int tjCompress2(
        TurboJpegHandle handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
        byte** jpegBuf, CULong* jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(LibraryName)]
    public static partial int tjDecompressHeader3(
        TurboJpegHandle handle, byte* jpegBuf, CULong jpegSize,
        int* width, int* height, int* jpegSubsamp, int* jpegColorspace);

    [LibraryImport(LibraryName)]
    public static partial int tjDecompress2(
        TurboJpegHandle handle, byte* jpegBuf, CULong jpegSize, byte* dstBuf,
        int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(LibraryName)]
    public static partial nint tjGetErrorStr2(TurboJpegHandle handle);

    [LibraryImport(LibraryName)]
    public static partial int tjGetErrorCode(TurboJpegHandle handle);
}
