namespace Oriel.Graphics.Jpeg;

/// <summary>
/// The native half of JPEG (ITU-T T.81), which the host provides: the core tier loads no native
/// code, so <see cref="JpegCodec"/> does every check on untrusted input (length cap, frame header,
/// expected size, component count, buffer sizes) in managed code and only then hands the bytes to
/// an implementation of this interface (the gateway's is libjpeg-turbo, in
/// <c>Oriel.Graphics.TurboJpeg</c>). Pixels are <see cref="uint"/>s 0x00RRGGBB, row-major, with a
/// row stride in pixels. An instance need not be thread-safe: <see cref="JpegCodec"/> uses it from
/// one thread at a time.
/// </summary>
public interface IJpegLibrary
{
    /// <summary>
    /// The most bytes <see cref="Compress"/> can write for a <paramref name="width"/> x
    /// <paramref name="height"/> image with <paramref name="subsampling"/>.
    /// </summary>
    int MaxCompressedSize(int width, int height, JpegSubsampling subsampling);

    /// <summary>
    /// Compresses a <paramref name="width"/> x <paramref name="height"/> image whose rows start
    /// <paramref name="stride"/> pixels apart in <paramref name="pixels"/> (at least
    /// <c>(height - 1) * stride + width</c> long) into one complete JPEG file in
    /// <paramref name="destination"/> (at least <see cref="MaxCompressedSize"/> long) at
    /// <paramref name="quality"/> 1-100. Returns the number of bytes written; throws
    /// <see cref="InvalidOperationException"/> when the library fails.
    /// </summary>
    int Compress(ReadOnlySpan<uint> pixels, int width, int height, int stride, int quality, JpegSubsampling subsampling, Span<byte> destination);

    /// <summary>
    /// Decompresses <paramref name="jpeg"/>, whose frame header <see cref="JpegCodec"/> has already
    /// read and found to be <paramref name="width"/> x <paramref name="height"/> with one or three
    /// 8-bit components, into rows <paramref name="stride"/> pixels apart in
    /// <paramref name="destination"/> (the top byte of each pixel may be anything). Returns false
    /// with the library's reason when it refuses the data, and also when its own reading of the
    /// header disagrees with the size or finds a colour space that is not grey, YCbCr or RGB.
    /// </summary>
    bool TryDecompress(ReadOnlySpan<byte> jpeg, int width, int height, Span<uint> destination, int stride, out string error);
}
