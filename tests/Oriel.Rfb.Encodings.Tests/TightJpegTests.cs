using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings.Tests;

/// <summary>
/// Tight JpegCompression (rfbproto "Tight Encoding", method 1001): JPEG bytes made here with the
/// gateway's own encoder, wrapped in a Tight rectangle, fed the way a socket would.
/// </summary>
public sealed class TightJpegTests : IDisposable
{
    private readonly JpegCodec _codec = TurboJpegLibrary.CreateCodec();

    public void Dispose() => _codec.Dispose();

    public static TheoryData<int> Chunkings() => [0, 1, 2];

    [Theory]
    [InlineData(new byte[] { 0x05 }, 5, 1)]
    [InlineData(new byte[] { 0x7F }, 127, 1)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128, 2)]
    [InlineData(new byte[] { 0x90, 0x4E }, 10000, 2)]
    [InlineData(new byte[] { 0xFF, 0x7F }, 16383, 2)]
    [InlineData(new byte[] { 0x80, 0x80, 0x01 }, 16384, 3)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF }, 4194303, 3)]
    public void Compact_lengths_decode(byte[] bytes, int length, int used)
    {
        Assert.Equal(used, TightDecoder.ReadCompactLength(bytes, out var value));
        Assert.Equal(length, value);
        Assert.Equal(-1, TightDecoder.ReadCompactLength(bytes.AsSpan(0, used - 1), out _));
    }

    [Theory]
    [MemberData(nameof(Chunkings))]
    public void A_photo_like_rectangle_decodes_close_to_the_source_and_is_reported_as_damage(int chunking)
    {
        var source = Gradient(48, 40);
        var jpeg = Encode(source, 90);
        var payload = Wrap(0x90, jpeg);
        var fb = new Framebuffer(100, 60);
        fb.Fill(fb.Bounds, 0x111111);
        var sink = new RecordingSink();
        var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), sink);
        var rect = new Rect(30, 10, 48, 40);
        var before = TightDecoder.JpegRectanglesDecoded;
        var used = Feeder.Run(new TightDecoder(_codec), rect, context, payload, chunking switch { 0 => Feeder.All, 1 => Feeder.OneByte, _ => Feeder.Random(7) });
        Assert.Equal(payload.Length, used);
        Assert.Equal([rect], sink.Damage);
        Assert.True(TightDecoder.JpegRectanglesDecoded > before);
        var got = new uint[48 * 40];
        fb.Read(rect, got);
        Assert.InRange(MeanAbsoluteError(source.Pixels, got), 0, 3);
        for (var y = 0; y < fb.Height; y++)
            for (var x = 0; x < fb.Width; x++)
                if (x < rect.X || x >= rect.Right || y < rect.Y || y >= rect.Bottom) Assert.Equal(0x111111u, fb.At(x, y));
    }

    [Fact]
    public void A_large_jpeg_uses_a_three_byte_compact_length()
    {
        var source = Noise(128, 128, 11);
        var jpeg = Encode(source, 95, JpegSubsampling.Chroma444);
        Assert.True(jpeg.Length > 16383, $"only {jpeg.Length} bytes");
        var payload = Wrap(0x90, jpeg);
        Assert.Equal(4 + jpeg.Length, payload.Length);
        var fb = new Framebuffer(128, 128);
        var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
        Assert.Equal(payload.Length, Feeder.Run(new TightDecoder(_codec), fb.Bounds, context, payload, Feeder.Random(3)));
        Assert.InRange(MeanAbsoluteError(source.Pixels, fb.Pixels), 0, 12); // noise is JPEG's worst case
    }

    [Fact]
    public void Without_a_codec_a_jpeg_rectangle_is_a_decode_exception_and_draws_nothing()
    {
        // The core loads no native code: the host gives the codec, or there is no JPEG.
        var payload = Wrap(0x90, Encode(Gradient(16, 16), 90));
        var fb = new Framebuffer(16, 16);
        fb.Pixels.Fill(0x123456);
        var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
        Assert.True(new RectangleDecoderSet().TryGet(RfbEncodingType.Tight, out var tight));
        var e = Assert.Throws<DecodeException>(() => Feeder.Run(tight, fb.Bounds, context, payload, Feeder.All));
        Assert.Contains("no JPEG codec", e.Message, StringComparison.Ordinal);
        Assert.All(fb.Pixels.ToArray(), p => Assert.Equal(0x123456u, p));
    }

    [Fact]
    public void The_decoder_set_uses_the_codec_it_was_given()
    {
        var codec = TurboJpegLibrary.CreateCodec();
        var payload = Wrap(0x90, Encode(Gradient(16, 16), 90));
        codec.Dispose();
        var fb = new Framebuffer(16, 16);
        var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
        Assert.True(new RectangleDecoderSet(codec).TryGet(RfbEncodingType.Tight, out var tight));
        Assert.Throws<ObjectDisposedException>(() => Feeder.Run(tight, fb.Bounds, context, payload, Feeder.All));
    }

    [Fact]
    public void A_jpeg_of_another_size_is_a_decode_exception_and_draws_nothing()
    {
        var payload = Wrap(0x90, Encode(Gradient(16, 16), 90));
        var fb = new Framebuffer(32, 32);
        fb.Fill(fb.Bounds, 0x010203);
        var sink = new RecordingSink();
        var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), sink);
        var e = Assert.Throws<DecodeException>(() => Feeder.Run(new TightDecoder(_codec), new Rect(0, 0, 16, 8), context, payload, Feeder.All));
        Assert.Contains("16x16, expected 16x8", e.Message, StringComparison.Ordinal);
        Assert.All(fb.Pixels.ToArray(), p => Assert.Equal(0x010203u, p));
        Assert.Empty(sink.Damage);
    }

    [Fact]
    public void Corrupt_jpeg_data_is_a_decode_exception()
    {
        var jpeg = Encode(Gradient(32, 32), 90);
        var cut = jpeg[..(jpeg.Length - 30)]; // a whole Tight rectangle whose JPEG stops early
        var fb = new Framebuffer(32, 32);
        var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
        Assert.Throws<DecodeException>(() => Feeder.Run(new TightDecoder(_codec), fb.Bounds, context, Wrap(0x90, cut), Feeder.All));
        var garbage = new byte[700];
        new Random(5).NextBytes(garbage);
        Assert.Throws<DecodeException>(() => Feeder.Run(new TightDecoder(_codec), fb.Bounds, context, Wrap(0x90, garbage), Feeder.All));
    }

    [Fact]
    public void The_decoder_waits_for_the_whole_jpeg_and_stages_no_more_than_the_length()
    {
        var jpeg = Encode(Gradient(8, 8), 90);
        var payload = Wrap(0x90, jpeg);
        var fb = new Framebuffer(8, 8);
        var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
        var decoder = new TightDecoder(_codec);
        decoder.Begin(fb.Bounds, context);
        Assert.Equal(0, decoder.Decode(payload.AsSpan(0, 1), context, out var complete)); // control byte alone: header incomplete
        Assert.False(complete);
        Assert.Equal(payload.Length - 1, decoder.Decode(payload.AsSpan(0, payload.Length - 1), context, out complete));
        Assert.False(complete);
        byte[] next = [payload[^1], 0xAA, 0xBB]; // bytes of the next message are left alone
        Assert.Equal(1, decoder.Decode(next, context, out complete));
        Assert.True(complete);
    }

    [Fact]
    public void An_empty_rectangle_consumes_its_jpeg_and_reports_nothing()
    {
        var payload = Wrap(0x90, Encode(Gradient(8, 8), 90));
        var sink = new RecordingSink();
        var context = new RectangleContext(new Framebuffer(8, 8), new PixelConverter(PixelFormat.Rgb888), sink);
        Assert.Equal(payload.Length, Feeder.Run(new TightDecoder(_codec), new Rect(0, 0, 0, 0), context, payload, Feeder.All));
        Assert.Empty(sink.Damage);
    }

    [Fact]
    public void A_jpeg_rectangle_with_reset_bits_resets_the_zlib_streams()
    {
        // Rectangle 1 compresses on stream 0; rectangle 2 is JPEG with control 91 (reset stream 0);
        // rectangle 3 must then be a fresh zlib stream, which only decodes if the reset happened.
        var fb = new Framebuffer(8, 2);
        var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
        var decoder = new TightDecoder(_codec);
        var row = new byte[8 * 2 * 3];
        for (var i = 0; i < row.Length; i++) row[i] = (byte)(i * 5);
        Feeder.Run(decoder, fb.Bounds, context, ZlibRect(row), Feeder.All);
        Feeder.Run(decoder, fb.Bounds, context, Wrap(0x91, Encode(Gradient(8, 2), 90)), Feeder.All);
        Feeder.Run(decoder, fb.Bounds, context, ZlibRect(row), Feeder.All);
        Assert.Equal((uint)(row[0] << 16 | row[1] << 8 | row[2]), fb.At(0, 0));
        Assert.Equal((uint)(row[3] << 16 | row[4] << 8 | row[5]), fb.At(1, 0));
    }

    [Fact]
    public void Mutated_jpeg_rectangles_complete_need_more_or_throw_decode_exception()
    {
        var rng = new Random(2024);
        var seed = Wrap(0x90, Encode(Gradient(24, 16), 80));
        var outcomes = new int[3];
        for (var i = 0; i < 1500; i++)
        {
            var payload = (byte[])seed.Clone();
            switch (rng.Next(4))
            {
                case 0: payload[rng.Next(payload.Length)] ^= (byte)(1 << rng.Next(8)); break;
                case 1: payload[rng.Next(Math.Min(payload.Length, 220))] = (byte)rng.Next(256); break;
                case 2: payload = payload[..rng.Next(payload.Length)]; break;
                default: payload[rng.Next(1, 3)] = (byte)rng.Next(256); break; // the compact length
            }
            var fb = new Framebuffer(40, 30);
            var context = new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                outcomes[Feeder.TryRun(new TightDecoder(_codec), new Rect(3, 4, 24, 16), context, payload, Feeder.Random(i)) ? 0 : 1]++;
            }
            catch (DecodeException)
            {
                outcomes[2]++;
            }
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 * 1024 * 1024);
        }
        Assert.True(outcomes[0] > 0 && outcomes[1] > 0 && outcomes[2] > 0, string.Join(",", outcomes));
    }

    private static byte[] ZlibRect(byte[] data)
    {
        using var z = new Compressor();
        var compressed = z.Compress(data);
        return [0x00, (byte)(compressed.Length | 0x80), (byte)(compressed.Length >> 7), .. compressed];
    }

    private byte[] Encode(Framebuffer fb, int quality, JpegSubsampling subsampling = JpegSubsampling.Chroma420)
    {
        using var output = new PooledBufferWriter();
        _codec.Encode(fb, fb.Bounds, quality, output, subsampling);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A Tight JpegCompression rectangle: control byte, compact length, JPEG.</summary>
    private static byte[] Wrap(byte control, byte[] jpeg)
    {
        var n = jpeg.Length;
        List<byte> b = [control];
        if (n < 0x80)
        {
            b.Add((byte)n);
        }
        else if (n < 0x4000)
        {
            b.Add((byte)(n | 0x80));
            b.Add((byte)(n >> 7));
        }
        else
        {
            b.Add((byte)(n | 0x80));
            b.Add((byte)((n >> 7) | 0x80));
            b.Add((byte)(n >> 14));
        }
        b.AddRange(jpeg);
        return [.. b];
    }

    private static Framebuffer Gradient(int width, int height)
    {
        var fb = new Framebuffer(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                fb.At(x, y) = (uint)((x * 255 / (width - 1)) << 16 | (y * 255 / (height - 1)) << 8 | ((x + y) * 255 / (width + height - 2)));
        return fb;
    }

    private static Framebuffer Noise(int width, int height, int seed)
    {
        var fb = new Framebuffer(width, height);
        var rng = new Random(seed);
        foreach (ref var p in fb.Pixels) p = (uint)rng.Next() & 0xFFFFFF;
        return fb;
    }

    private static double MeanAbsoluteError(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
            for (var s = 0; s < 24; s += 8)
                sum += Math.Abs((int)((a[i] >> s) & 0xFF) - (int)((b[i] >> s) & 0xFF));
        return sum / (3.0 * a.Length);
    }
}
