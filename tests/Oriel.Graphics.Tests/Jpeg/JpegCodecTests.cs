using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;
using Oriel.Wire;

namespace Oriel.Graphics.Tests.Jpeg;

public sealed class JpegCodecTests : IDisposable
{
    private readonly JpegCodec _codec = TurboJpegLibrary.CreateCodec();

    public void Dispose() => _codec.Dispose();

    [Fact]
    public void The_library_is_installed_on_the_test_machine_and_the_missing_message_names_the_package()
    {
        Assert.True(TurboJpegLibrary.IsAvailable, TurboJpegLibrary.MissingLibraryMessage);
        Assert.Contains("libturbojpeg0", TurboJpegLibrary.MissingLibraryMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_writes_one_whole_jpeg_and_returns_its_length()
    {
        var fb = JpegImages.Gradient(64, 48);
        var output = new DirtyBufferWriter();
        var n = _codec.Encode(fb, fb.Bounds, 80, output);
        var bytes = output.ToArray();
        Assert.Equal(n, bytes.Length);
        Assert.Equal([0xFF, 0xD8, 0xFF], bytes[..3]); // SOI then a marker
        Assert.Equal([0xFF, 0xD9], bytes[^2..]); // EOI
        Assert.Equal((64, 48), _codec.ReadSize(bytes));
    }

    [Theory]
    [InlineData(JpegSubsampling.Chroma420, 90, 3.0)]
    [InlineData(JpegSubsampling.Chroma422, 90, 3.0)]
    [InlineData(JpegSubsampling.Chroma444, 100, 1.0)]
    public void A_gradient_round_trips_closely_and_the_top_byte_stays_zero(JpegSubsampling subsampling, int quality, double bound)
    {
        var fb = JpegImages.Gradient(97, 61); // sizes that are not whole MCUs
        var jpeg = JpegImages.Encode(_codec, fb, quality, subsampling);
        var decoded = new uint[97 * 61];
        decoded.AsSpan().Fill(0xFFFFFFFF);
        _codec.Decode(jpeg, 97, 61, decoded);
        Assert.All(decoded, p => Assert.Equal(0u, p >> 24));
        Assert.InRange(JpegImages.MeanAbsoluteError(fb.Pixels, decoded), 0, bound);
    }

    [Fact]
    public void Gray_output_has_equal_channels()
    {
        var fb = JpegImages.Gradient(32, 32);
        var jpeg = JpegImages.Encode(_codec, fb, 90, JpegSubsampling.Gray);
        var decoded = new uint[32 * 32];
        _codec.Decode(jpeg, 32, 32, decoded);
        Assert.All(decoded, p => Assert.True((p >> 16) == ((p >> 8) & 0xFF) && (p & 0xFF) == ((p >> 8) & 0xFF), $"{p:X6}"));
    }

    [Fact]
    public void Lower_quality_gives_fewer_bytes()
    {
        var fb = TestImages.Noise(64, 64, 5);
        Assert.True(JpegImages.Encode(_codec, fb, 20).Length < JpegImages.Encode(_codec, fb, 95).Length);
    }

    [Fact]
    public void Encode_reads_only_the_area_asked_for()
    {
        var fb = new Framebuffer(100, 80);
        fb.Fill(fb.Bounds, 0xFF0000);
        var area = new Rect(30, 20, 24, 16);
        fb.Fill(area, 0x2080C0);
        using var output = new PooledBufferWriter();
        _codec.Encode(fb, area, 95, output);
        var decoded = new uint[24 * 16];
        _codec.Decode(output.WrittenSpan, 24, 16, decoded);
        Assert.All(decoded, p => Assert.InRange(JpegImages.MeanAbsoluteError([p], [0x2080C0u]), 0, 3));
    }

    [Fact]
    public void Decode_into_a_framebuffer_area_leaves_the_rest_untouched()
    {
        var source = JpegImages.Gradient(40, 24);
        var jpeg = JpegImages.Encode(_codec, source, 95, JpegSubsampling.Chroma444);
        var fb = new Framebuffer(120, 90);
        fb.Fill(fb.Bounds, 0x123456);
        var area = new Rect(50, 33, 40, 24);
        _codec.Decode(jpeg, fb, area);
        Assert.InRange(JpegImages.MeanAbsoluteError(source.Pixels, TestImages.Read(fb, area)), 0, 1.5);
        for (var y = 0; y < fb.Height; y++)
        {
            for (var x = 0; x < fb.Width; x++)
            {
                if (!area.Contains(new Rect(x, y, 1, 1))) Assert.Equal(0x123456u, fb.At(x, y));
            }
        }
    }

    [Theory]
    [InlineData(33, 24)]
    [InlineData(32, 25)]
    [InlineData(1, 1)]
    public void A_jpeg_of_another_size_is_refused_before_any_pixel_is_written(int width, int height)
    {
        var jpeg = JpegImages.Encode(_codec, JpegImages.Gradient(32, 24), 80);
        var destination = new uint[width * height];
        destination.AsSpan().Fill(0xABCDEF);
        var e = Assert.Throws<DecodeException>(() => _codec.Decode(jpeg, width, height, destination));
        Assert.Contains("32x24", e.Why, StringComparison.Ordinal);
        Assert.All(destination, p => Assert.Equal(0xABCDEFu, p));
    }

    [Fact]
    public void Malformed_jpegs_are_decode_exceptions()
    {
        var jpeg = JpegImages.Encode(_codec, JpegImages.Gradient(32, 24), 80);
        var destination = new uint[32 * 24];
        Assert.Throws<DecodeException>(() => _codec.Decode([], 32, 24, destination));
        Assert.Throws<DecodeException>(() => _codec.Decode([0xFF, 0xD8, 0xFF, 0xD9], 32, 24, destination));
        Assert.Throws<DecodeException>(() => _codec.Decode("not a jpeg at all"u8, 32, 24, destination));
        Assert.Throws<DecodeException>(() => _codec.Decode(jpeg.AsSpan(0, 20), 32, 24, destination)); // header cut
        Assert.Throws<DecodeException>(() => _codec.Decode(jpeg.AsSpan(0, jpeg.Length - 40), 32, 24, destination)); // data cut
    }

    [Fact]
    public void Bad_arguments_are_argument_exceptions_not_decode_exceptions()
    {
        var fb = JpegImages.Gradient(16, 16);
        using var output = new PooledBufferWriter();
        Assert.Throws<ArgumentOutOfRangeException>(() => _codec.Encode(fb, fb.Bounds, 0, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => _codec.Encode(fb, fb.Bounds, 101, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => _codec.Encode(fb, new Rect(8, 8, 9, 8), 80, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => _codec.Encode(fb, new Rect(0, 0, 0, 8), 80, output));
        var jpeg = JpegImages.Encode(_codec, fb, 80);
        Assert.Throws<ArgumentException>(() => _codec.Decode(jpeg, 16, 16, new uint[16 * 16 - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _codec.Decode(jpeg, 0, 16, new uint[16]));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_disposed_codec_refuses_work()
    {
        var codec = TurboJpegLibrary.CreateCodec();
        var fb = JpegImages.Gradient(8, 8);
        var jpeg = JpegImages.Encode(codec, fb, 80);
        codec.Dispose();
        codec.Dispose();
        using var output = new PooledBufferWriter();
        Assert.Throws<ObjectDisposedException>(() => codec.Encode(fb, fb.Bounds, 80, output));
        Assert.Throws<ObjectDisposedException>(() => codec.Decode(jpeg, 8, 8, new uint[64]));
    }

    [Fact]
    public void The_codec_is_reusable_across_many_images()
    {
        for (var i = 4; i <= 24; i++) // from 32x16: smaller gradients are too steep for 4:2:0
        {
            var fb = JpegImages.Gradient(8 * i, 4 * i);
            var jpeg = JpegImages.Encode(_codec, fb, 85);
            var decoded = new uint[fb.Width * fb.Height];
            _codec.Decode(jpeg, fb.Width, fb.Height, decoded);
            Assert.InRange(JpegImages.MeanAbsoluteError(fb.Pixels, decoded), 0, 4);
        }
    }
}
