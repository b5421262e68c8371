using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Oriel.Wire;

namespace Oriel.Graphics.Tests;

/// <summary>
/// <see cref="PngDecoder"/>: byte vectors assembled outside Oriel (vectors/make_png.py), round trips of
/// everything <see cref="PngEncoder"/> writes (checked against the independent <see cref="PngTestDecoder"/>),
/// the strictness rules, and random or mutated input that must end as <see cref="DecodeException"/> only.
/// </summary>
public sealed class PngDecoderTests
{
    private readonly PngDecoder _decoder = new();

    [Fact]
    public void Truecolour_vector_with_sub_and_up_filters()
    {
        var img = _decoder.Decode(HexVectors.Load("png-truecolor-sub-up"));
        Assert.Equal((2, 2), (img.Width, img.Height));
        Assert.Equal([0xFF0000u, 0x00FF00u, 0x0000FFu, 0xFFFFFFu], img.Pixels);
    }

    [Fact]
    public void Indexed_two_bit_vector_skips_the_ancillary_chunk()
    {
        var png = HexVectors.Load("png-indexed-2bit-text");
        var header = PngDecoder.ReadHeader(png);
        Assert.Equal(new PngImageHeader(3, 1, 2, PngImageHeader.ColorTypeIndexed), header);
        Assert.Equal([0x102030u, 0xFF8000u, 0x0000FFu], _decoder.Decode(png).Pixels);
    }

    [Fact]
    public void Greyscale_one_bit_vector_with_average_filter()
    {
        var img = _decoder.Decode(HexVectors.Load("png-grey-1bit-average"));
        uint w = 0xFFFFFF;
        Assert.Equal([w, 0u, w, 0u, w, 0u, w, 0u], img.Pixels);
    }

    [Fact]
    public void Alpha_is_drawn_over_the_destination()
    {
        var png = HexVectors.Load("png-rgba-paeth");
        Assert.Equal([0xC86432u, 0u], _decoder.Decode(png).Pixels);

        uint[] white = [0xFFFFFF, 0xFFFFFF];
        _decoder.Decode(png, white, 2);
        // (0 * 128 + 255 * 127) / 255, rounded: 127 per channel.
        Assert.Equal([0xC86432u, 0x7F7F7Fu], white);
    }

    [Fact]
    public void Draw_clips_to_the_framebuffer()
    {
        var source = TestImages.Noise(20, 10, 7);
        var png = Encode(source, source.Bounds, new PngEncoderOptions { UsePalette = false });
        var fb = new Framebuffer(16, 8);
        fb.Fill(fb.Bounds, 0x123456);
        _decoder.Draw(png, fb, 10, 3);
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                var expected = x >= 10 && y >= 3 ? source.At(x - 10, y - 3) : 0x123456u;
                Assert.Equal(expected, fb.At(x, y));
            }
        }

        fb.Fill(fb.Bounds, 0x123456);
        _decoder.Draw(png, fb, -15, -6);
        Assert.Equal(source.At(15, 6), fb.At(0, 0));
        Assert.Equal(source.At(19, 9), fb.At(4, 3));
        Assert.Equal(0x123456u, fb.At(5, 0));
        Assert.Equal(0x123456u, fb.At(0, 4));

        fb.Fill(fb.Bounds, 0x123456);
        _decoder.Draw(png, fb, 16, 0); // wholly outside: decoded and dropped
        Assert.All(fb.Pixels.ToArray(), p => Assert.Equal(0x123456u, p));
    }

    public static TheoryData<PngFilter> Filters => [PngFilter.None, PngFilter.Sub, PngFilter.Up, PngFilter.Average, PngFilter.Paeth, PngFilter.Adaptive];

    [Theory]
    [MemberData(nameof(Filters))]
    public void Everything_the_encoder_writes_decodes_to_the_same_pixels(PngFilter filter)
    {
        var desktop = TestImages.Desktop(97, 61, (int)filter);
        var noise = TestImages.Noise(33, 17, (int)filter);
        foreach (var (fb, options) in new[]
        {
            (desktop, new PngEncoderOptions { UsePalette = false, Filter = filter }),
            (noise, new PngEncoderOptions { UsePalette = false, Filter = filter }),
            (TestImages.WithColors(41, 9, 2, 1), new PngEncoderOptions { Filter = filter }),
            (TestImages.WithColors(41, 9, 4, 2), new PngEncoderOptions { Filter = filter }),
            (TestImages.WithColors(41, 9, 16, 3), new PngEncoderOptions { Filter = filter }),
            (TestImages.WithColors(41, 9, 200, 4), new PngEncoderOptions { Filter = filter }),
        })
        {
            var png = Encode(fb, fb.Bounds, options);
            var img = _decoder.Decode(png);
            Assert.Equal(fb.Pixels.ToArray(), img.Pixels);
            Assert.Equal(PngTestDecoder.Decode(png).Pixels, img.Pixels);
        }
    }

    [Fact]
    public void Malformed_structure_is_refused()
    {
        var good = HexVectors.Load("png-truecolor-sub-up");
        AssertRefused(good[..7], "signature");
        AssertRefused([.. good, 0], "follow the IEND");
        AssertRefused(good[..^12], "ends before the IEND");
        AssertRefused(good[..^3], "truncated chunk header");

        var badCrc = (byte[])good.Clone();
        badCrc[45] ^= 0x01; // a byte of the IDAT data
        AssertRefused(badCrc, "CRC mismatch in chunk IDAT");

        var rows = new byte[] { 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6 };
        AssertRefused(Build(2, 2, 8, 2, interlace: 1, Idat(rows)), "interlaced");
        AssertRefused(Build(2, 2, 16, 2, interlace: 0, Idat(rows)), "16-bit");
        AssertRefused(Build(2, 2, 8, 5, interlace: 0, Idat(rows)), "colour type 5");
        AssertRefused(Build(2, 2, 8, 2, interlace: 0, Chunk("ABCD", []), Idat(rows)), "unknown critical chunk ABCD");
        AssertRefused(Build(2, 2, 8, 2, interlace: 0, Idat(rows[..10])), "ends in scanline 1");
        AssertRefused(Build(2, 2, 8, 2, interlace: 0, Idat([.. rows, 9])), "more than its scanlines");
        AssertRefused(Build(2, 2, 8, 2, interlace: 0, Idat([5, .. rows[1..]])), "filter type 5");
        AssertRefused(Build(2, 2, 8, 2, interlace: 0, Chunk("IDAT", [1, 2, 3, 4])), "zlib");
        AssertRefused(Build(2, 2, 8, 2, interlace: 0), "no IDAT");
        AssertRefused(Build(2, 1, 8, 2, interlace: 0, Idat(rows[..7]), Chunk("tEXt", [65]), Idat([])), "not consecutive");
        AssertRefused(Build(2, 1, 8, 3, interlace: 0, Idat([0, 0, 0])), "without PLTE");
        AssertRefused(Build(2, 1, 1, 3, interlace: 0, Chunk("PLTE", [1, 2, 3, 4, 5, 6, 7, 8, 9]), Idat([0, 0])), "more than bit depth 1 can index");
        AssertRefused(Build(2, 1, 8, 3, interlace: 0, Chunk("PLTE", [1, 2, 3]), Idat([0, 0, 1])), "palette index 1 at column 1");
        AssertRefused(Build(2, 1, 8, 0, interlace: 0, Chunk("PLTE", [1, 2, 3]), Idat([0, 0, 1])), "PLTE in a greyscale image");
        AssertRefused(Build(0, 1, 8, 2, interlace: 0, Idat([0])), "outside 1..2^31-1");
        AssertRefused(Build(16385, 1, 8, 2, interlace: 0, Idat([0])), "16384 pixels a side");
    }

    [Fact]
    public void Pixel_cap_is_checked_before_anything_is_allocated_for_the_image()
    {
        // 16384 x 16384 claimed, with a few bytes of image data: refused from the header alone.
        var png = Build(16384, 16384, 8, 2, interlace: 0, Idat([0, 0, 0, 0]));
        var e = Assert.Throws<DecodeException>(() => new PngDecoder(maxPixels: 1_000_000).Decode(png));
        Assert.Contains("exceeds the cap of 1000000 pixels", e.Message, StringComparison.Ordinal);
        Assert.Throws<DecodeException>(() => new PngDecoder(maxPixels: 1_000_000).Draw(png, new Framebuffer(4, 4), 0, 0));
        var big = new byte[PngDecoder.MaxPngSize + 1];
        Assert.Throws<DecodeException>(() => PngDecoder.ReadHeader(big));
    }

    [Fact]
    public void Random_and_mutated_input_never_escapes_as_anything_but_decode_exception()
    {
        var rng = new Random(2718);
        var seeds = new List<byte[]>
        {
            HexVectors.Load("png-truecolor-sub-up"),
            HexVectors.Load("png-indexed-2bit-text"),
            HexVectors.Load("png-rgba-paeth"),
            HexVectors.Load("png-grey-1bit-average"),
            Encode(TestImages.Desktop(40, 30, 5), new Rect(0, 0, 40, 30), new PngEncoderOptions { UsePalette = false, Filter = PngFilter.Adaptive }),
            Encode(TestImages.WithColors(30, 20, 12, 6), new Rect(0, 0, 30, 20), new PngEncoderOptions()),
        };
        var fb = new Framebuffer(64, 64);
        var decoded = 0;
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])seeds[i % seeds.Count].Clone();
            switch (rng.Next(4))
            {
                case 0: Mutator.FlipBit(bytes, rng); break;
                case 1: Mutator.SetRandomByte(bytes, rng); break;
                case 2: bytes = Mutator.Truncate(bytes, rng); break;
                default: Mutator.Overwrite(bytes, rng); break;
            }
            // Mutations behind the CRC are caught by it; fix the CRCs up half of the time so the deeper checks run.
            if (rng.Next(2) == 0) FixCrcs(bytes);
            try
            {
                _decoder.Draw(bytes, fb, rng.Next(-20, 20), rng.Next(-20, 20));
                decoded++;
            }
            catch (DecodeException)
            {
            }
        }
        Assert.InRange(decoded, 1, 2999);
    }

    private void AssertRefused(byte[] png, string why)
    {
        var e = Assert.Throws<DecodeException>(() => _decoder.Decode(png));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Equal("PNG", e.What);
    }

    private static byte[] Encode(Framebuffer fb, Rect area, PngEncoderOptions options)
    {
        var w = new ArrayBufferWriter<byte>();
        new PngEncoder(options).Encode(fb, area, w);
        return w.WrittenSpan.ToArray();
    }

    /// <summary>A PNG from an IHDR and the given chunks, then IEND; CRCs by the bitwise reference.</summary>
    private static byte[] Build(int width, int height, int depth, int colorType, int interlace, params byte[][] chunks)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)depth;
        ihdr[9] = (byte)colorType;
        ihdr[12] = (byte)interlace;
        var output = new List<byte> { 137, 80, 78, 71, 13, 10, 26, 10 };
        output.AddRange(Chunk("IHDR", ihdr));
        foreach (var c in chunks) output.AddRange(c);
        output.AddRange(Chunk("IEND", []));
        return [.. output];
    }

    private static byte[] Idat(byte[] scanlines)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(scanlines);
        }
        return Chunk("IDAT", ms.ToArray());
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var c = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(c, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, c.AsSpan(4));
        data.CopyTo(c, 8);
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), PngTestDecoder.BitwiseCrc(c.AsSpan(4, 4 + data.Length)));
        return c;
    }

    /// <summary>Recomputes the CRC of every whole chunk after the signature, stopping at the first that does not fit.</summary>
    private static void FixCrcs(byte[] png)
    {
        var pos = 8;
        while (png.Length - pos >= 12)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            if (length > (uint)(png.Length - pos - 12)) return;
            var n = (int)length;
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(pos + 8 + n), PngTestDecoder.BitwiseCrc(png.AsSpan(pos + 4, 4 + n)));
            pos += 12 + n;
        }
    }
}
