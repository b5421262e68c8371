using Oriel.Graphics.Jpeg;
using Oriel.Wire;

namespace Oriel.Graphics.Tests.Jpeg;

/// <summary>
/// <see cref="JpegCodec"/>'s own checks, with a recording <see cref="IJpegLibrary"/> in place of the
/// host's native one: malformed or unexpected input is refused in the core and never reaches the library.
/// </summary>
public sealed class JpegCodecCheckTests
{
    private const string Header16x8 = "FFD8 FFC0 0011 08 0008 0010 03 012200 021101 031101 FFDA";

    private sealed class RecordingLibrary : IJpegLibrary, IDisposable
    {
        public int Decompressions { get; private set; }
        public bool Refuse { get; init; }
        public bool Disposed { get; private set; }

        public int MaxCompressedSize(int width, int height, JpegSubsampling subsampling) => 64;

        public int Compress(ReadOnlySpan<uint> pixels, int width, int height, int stride, int quality, JpegSubsampling subsampling, Span<byte> destination) => 0;

        public bool TryDecompress(ReadOnlySpan<byte> jpeg, int width, int height, Span<uint> destination, int stride, out string error)
        {
            Decompressions++;
            for (var y = 0; y < height; y++)
            {
                destination.Slice(y * stride, width).Fill(0xFF00FF00u); // top byte set, as TurboJPEG leaves it
            }
            error = Refuse ? "refused by the library" : "";
            return !Refuse;
        }

        public void Dispose() => Disposed = true;
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Theory]
    [InlineData("FFD8 FFC0 0011 08 0008 0011 03 012200 021101 031101 FFDA", "expected 16x8")] // 17 wide
    [InlineData("FFD8 FFC0 0014 08 0008 0010 04 012200 021101 031101 041101 FFDA", "CMYK")]
    [InlineData("FFD8 FFC0 0011 0C 0008 0010 03 012200 021101 031101 FFDA", "12-bit")]
    [InlineData("0000", "no SOI")]
    public void Input_the_core_refuses_never_reaches_the_library(string hex, string why)
    {
        var library = new RecordingLibrary();
        using var codec = new JpegCodec(library);
        var e = Assert.Throws<DecodeException>(() => codec.Decode(Hex(hex), 16, 8, new uint[16 * 8]));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, library.Decompressions);
    }

    [Fact]
    public void A_jpeg_over_the_size_cap_never_reaches_the_library()
    {
        var library = new RecordingLibrary();
        using var codec = new JpegCodec(library);
        var big = new byte[JpegCodec.MaxJpegSize + 1];
        Hex(Header16x8).CopyTo(big, 0);
        Assert.Throws<DecodeException>(() => codec.Decode(big, 16, 8, new uint[16 * 8]));
        Assert.Equal(0, library.Decompressions);
    }

    [Fact]
    public void Expected_sizes_outside_the_framebuffer_caps_are_refused_before_anything_is_read()
    {
        var library = new RecordingLibrary();
        using var codec = new JpegCodec(library);
        Assert.Throws<ArgumentOutOfRangeException>(() => codec.Decode(Hex(Header16x8), Framebuffer.MaxSide + 1, 1, new uint[Framebuffer.MaxSide + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => codec.Decode(Hex(Header16x8), 0, 8, []));
        Assert.Equal(0, library.Decompressions);
    }

    [Fact]
    public void A_checked_jpeg_is_decompressed_into_the_area_with_the_top_byte_cleared_and_a_refusal_is_a_decode_exception()
    {
        var library = new RecordingLibrary();
        var fb = new Framebuffer(20, 10);
        using (var codec = new JpegCodec(library))
        {
            codec.Decode(Hex(Header16x8), fb, new Rect(2, 1, 16, 8));
        }
        Assert.True(library.Disposed); // the codec owns its library
        Assert.Equal(1, library.Decompressions);
        for (var y = 0; y < 10; y++)
        {
            for (var x = 0; x < 20; x++)
            {
                var inside = x is >= 2 and < 18 && y is >= 1 and < 9;
                Assert.Equal(inside ? 0x0000FF00u : 0u, fb.At(x, y));
            }
        }

        using var refusing = new JpegCodec(new RecordingLibrary { Refuse = true });
        var e = Assert.Throws<DecodeException>(() => refusing.Decode(Hex(Header16x8), 16, 8, new uint[16 * 8]));
        Assert.Contains("refused by the library", e.Message, StringComparison.Ordinal);
    }
}
