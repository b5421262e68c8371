using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings.Tests;

/// <summary>zlib streams live for the connection: blocks of later rectangles refer back to earlier ones.</summary>
public class ZlibStreamTests
{
    private static readonly byte[] Stripes = MakeStripes();

    private static byte[] MakeStripes()
    {
        // 8x8 raw ZRLE tile (subencoding 0) of a pattern, CPIXEL B G R.
        var o = new List<byte> { 0 };
        for (var i = 0; i < 64; i++) o.AddRange(new byte[] { (byte)(i * 4), (byte)(i * 3), (byte)i });
        return [.. o];
    }

    private static RectangleContext NewContext(out Framebuffer fb)
    {
        fb = new Framebuffer(32, 32);
        return new RectangleContext(fb, new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
    }

    [Fact]
    public void Zrle_two_rectangles_share_one_stream()
    {
        using var server = new Compressor();
        var first = server.Compress(Stripes);
        var second = server.Compress(Stripes); // refers back into the first block's window
        Assert.True(second.Length < first.Length / 2, "the second block should be mostly a back-reference");

        foreach (var chunk in new[] { Feeder.All, Feeder.OneByte })
        {
            var context = NewContext(out var fb);
            var zrle = new ZrleDecoder();
            Feeder.Run(zrle, new Rect(0, 0, 8, 8), context, [.. EncodingVector.U32(first.Length), .. first], chunk);
            Feeder.Run(zrle, new Rect(16, 16, 8, 8), context, [.. EncodingVector.U32(second.Length), .. second], chunk);
            for (var i = 0; i < 64; i++)
            {
                var expected = (uint)(i << 16 | (i * 3 & 0xFF) << 8 | (i * 4 & 0xFF));
                Assert.Equal(expected, fb.At(i % 8, i / 8));
                Assert.Equal(expected, fb.At(16 + i % 8, 16 + i / 8));
            }
        }
    }

    [Fact]
    public void Zrle_reset_forgets_the_stream()
    {
        var context = NewContext(out var fb);
        var zrle = new ZrleDecoder();
        using (var a = new Compressor())
        {
            var block = a.Compress(Stripes);
            Feeder.Run(zrle, new Rect(0, 0, 8, 8), context, [.. EncodingVector.U32(block.Length), .. block], Feeder.All);
        }
        zrle.Reset();
        fb.Fill(fb.Bounds, 0);
        using (var b = new Compressor())
        {
            var block = b.Compress(Stripes);
            Feeder.Run(zrle, new Rect(0, 0, 8, 8), context, [.. EncodingVector.U32(block.Length), .. block], Feeder.All);
        }
        Assert.Equal(0x3F_BD_FCu, fb.At(7, 7));
    }

    [Fact]
    public void Tight_uses_four_streams_and_honours_reset_bits()
    {
        var context = NewContext(out var fb);
        var tight = new TightDecoder();
        var data = new byte[4 * 4 * 3];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)(i * 5);
        var streams = new[] { new Compressor(), new Compressor(), new Compressor(), new Compressor() };
        try
        {
            void Send(int stream, int control, Compressor c, Rect r)
            {
                var block = c.Compress(data);
                Feeder.Run(tight, r, context, [(byte)control, .. EncodingVector.CompactLength(block.Length), .. block], Feeder.OneByte);
            }

            // Interleave streams 0..3; each block after the first on a stream refers back.
            for (var round = 0; round < 2; round++)
            {
                for (var s = 0; s < 4; s++)
                {
                    Send(s, s << 4, streams[s], new Rect(s * 4, round * 4, 4, 4));
                }
            }
            // Reset stream 2 (bit 2) and start it over with a new server-side compressor.
            streams[2].Dispose();
            streams[2] = new Compressor();
            Send(2, 0x04 | 2 << 4, streams[2], new Rect(0, 8, 4, 4));
            // A fill rectangle may carry reset bits too: reset stream 1.
            Feeder.Run(tight, new Rect(20, 20, 1, 1), context, [0x82, 1, 2, 3], Feeder.All);
            Assert.Equal(0x010203u, fb.At(20, 20));
            streams[1].Dispose();
            streams[1] = new Compressor();
            Send(1, 1 << 4, streams[1], new Rect(4, 8, 4, 4));
        }
        finally
        {
            foreach (var s in streams) s.Dispose();
        }

        foreach (var (ox, oy) in new[] { (0, 0), (4, 0), (8, 0), (12, 0), (0, 4), (12, 4), (0, 8), (4, 8) })
        {
            for (var i = 0; i < 16; i++)
            {
                var o = i * 3;
                Assert.Equal((uint)(data[o] << 16 | data[o + 1] << 8 | data[o + 2]), fb.At(ox + i % 4, oy + i / 4));
            }
        }
    }

    [Fact]
    public void Tight_data_longer_than_the_rectangle_needs_is_refused()
    {
        var context = NewContext(out _);
        using var c = new Compressor();
        var block = c.Compress(new byte[13]); // a 2x2 copy rectangle needs 12
        Assert.Throws<DecodeException>(() =>
            Feeder.Run(new TightDecoder(), new Rect(0, 0, 2, 2), context, [0x00, .. EncodingVector.CompactLength(block.Length), .. block], Feeder.All));
    }

    [Fact]
    public void Corrupt_zlib_data_is_a_DecodeException()
    {
        var context = NewContext(out _);
        byte[] junk = [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.Throws<DecodeException>(() =>
            Feeder.Run(new ZrleDecoder(), new Rect(0, 0, 2, 2), context, [.. EncodingVector.U32(junk.Length), .. junk], Feeder.All));
    }

    [Fact]
    public void Compact_length_uses_three_bytes_for_large_blocks()
    {
        // 100x100 copy rectangle of noise: the compressed block is over 16383 bytes.
        var context = new RectangleContext(new Framebuffer(128, 128), new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
        var data = new byte[100 * 100 * 3];
        new Random(5).NextBytes(data);
        using var c = new Compressor(System.IO.Compression.CompressionLevel.NoCompression);
        var block = c.Compress(data);
        var length = EncodingVector.CompactLength(block.Length);
        Assert.Equal(3, length.Length);
        Feeder.Run(new TightDecoder(), new Rect(0, 0, 100, 100), context, [0x00, .. length, .. block], Feeder.Random(9));
        Assert.Equal((uint)(data[^3] << 16 | data[^2] << 8 | data[^1]), context.Framebuffer.At(99, 99));
    }
}
