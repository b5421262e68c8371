using System.Buffers;

namespace Oriel.Graphics.Tests;

public class PngEncoderTests
{
    public static TheoryData<PngFilter> Filters => [PngFilter.None, PngFilter.Sub, PngFilter.Up, PngFilter.Average, PngFilter.Paeth, PngFilter.Adaptive];

    [Fact]
    public void One_pixel_rgb_png_is_byte_exact()
    {
        var fb = new Framebuffer(1, 1);
        fb.At(0, 0) = 0xFF0000;
        var png = Encode(fb, fb.Bounds, new PngEncoderOptions { UsePalette = false, Filter = PngFilter.None });
        byte[] head =
        [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, // signature
            0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE, // IHDR
        ];
        Assert.Equal(head, png[..head.Length]);
        byte[] iend = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];
        Assert.Equal(iend, png[^12..]);
        var img = PngTestDecoder.Decode(png);
        Assert.Equal([0xFF0000u], img.Pixels);
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public void Random_true_colour_images_round_trip_with_every_filter(PngFilter filter)
    {
        var encoder = new PngEncoder(new PngEncoderOptions { UsePalette = false, Filter = filter });
        var rng = new Random((int)filter);
        var fb = TestImages.Noise(150, 90, 1);
        // Smooth content too, so the predictors have something to predict.
        for (var y = 40; y < 90; y++)
        {
            for (var x = 0; x < 150; x++) fb.At(x, y) = (uint)(((x * 3) & 0xFF) << 16 | (y * 2) << 8 | ((x + y) & 0xFF));
        }
        Rect[] areas = [fb.Bounds, new(0, 0, 1, 1), new(5, 7, 3, 1), new(149, 0, 1, 90), new(13, 31, 17, 13), new(1, 35, 149, 20), new(6, 2, 6, 8)];
        foreach (var area in areas)
        {
            var w = new ArrayBufferWriter<byte>();
            var n = encoder.Encode(fb, area, w);
            Assert.Equal(w.WrittenCount, n);
            var img = PngTestDecoder.Decode(w.WrittenSpan);
            Assert.Equal((area.Width, area.Height, 2, 8), (img.Width, img.Height, img.ColorType, img.BitDepth));
            Assert.Equal(TestImages.Read(fb, area), img.Pixels);
            if (filter != PngFilter.Adaptive) Assert.All(img.FilterTypes, t => Assert.Equal((byte)filter, t));
        }
        for (var i = 0; i < 30; i++)
        {
            var area = new Rect(rng.Next(100), rng.Next(60), rng.Next(1, 50), rng.Next(1, 30));
            var img = PngTestDecoder.Decode(Encode(encoder, fb, area));
            Assert.Equal(TestImages.Read(fb, area), img.Pixels);
        }
    }

    [Fact]
    public void Adaptive_filter_uses_several_filter_types()
    {
        var fb = TestImages.Desktop(200, 120, 4);
        for (var y = 60; y < 120; y++)
        {
            for (var x = 0; x < 200; x++) fb.At(x, y) = (uint)(x << 16 | (y * 3) << 8 | (x * y & 0xFF));
        }
        var img = PngTestDecoder.Decode(Encode(fb, fb.Bounds, new PngEncoderOptions { UsePalette = false, Filter = PngFilter.Adaptive }));
        Assert.True(img.FilterTypes.Distinct().Count() >= 2);
        Assert.Equal(fb.Pixels.ToArray(), img.Pixels);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    [InlineData(16, 4)]
    [InlineData(17, 8)]
    [InlineData(256, 8)]
    public void Few_colours_use_the_palette_with_the_smallest_bit_depth(int colors, int expectedDepth)
    {
        var encoder = new PngEncoder();
        foreach (var width in new[] { 1, 7, 13, 64, 67 })
        {
            var fb = TestImages.WithColors(width, Math.Max(1, 300 / width) + 2, colors, colors * 31 + width);
            var area = fb.Bounds;
            var png = Encode(encoder, fb, area);
            var img = PngTestDecoder.Decode(png);
            Assert.True(encoder.LastUsedPalette);
            var distinct = fb.Pixels.ToArray().Distinct().Count();
            Assert.Equal(3, img.ColorType);
            Assert.Equal(BitDepth(distinct), img.BitDepth);
            Assert.Equal(distinct, img.PaletteCount);
            Assert.Equal(fb.Pixels.ToArray(), img.Pixels);
            if (distinct == colors) Assert.Equal(expectedDepth, img.BitDepth);
        }
    }

    [Fact]
    public void The_257th_colour_falls_back_to_true_colour()
    {
        var fb = TestImages.WithColors(40, 40, 257, 9);
        var encoder = new PngEncoder();
        var img = PngTestDecoder.Decode(Encode(encoder, fb, fb.Bounds));
        Assert.False(encoder.LastUsedPalette);
        Assert.Equal(2, img.ColorType);
        Assert.Equal(fb.Pixels.ToArray(), img.Pixels);
        // The same encoder then goes back to the palette for a flat area.
        var flat = new Framebuffer(10, 10);
        flat.Fill(flat.Bounds, 0x123456);
        var img2 = PngTestDecoder.Decode(Encode(encoder, flat, flat.Bounds));
        Assert.Equal((3, 1, 1), (img2.ColorType, img2.BitDepth, img2.PaletteCount));
        Assert.All(img2.Pixels, p => Assert.Equal(0x123456u, p));
    }

    [Fact]
    public void Top_byte_of_pixels_is_ignored()
    {
        var fb = new Framebuffer(4, 1);
        fb.At(0, 0) = 0xFF00FF00;
        fb.At(1, 0) = 0x0000FF00;
        fb.At(2, 0) = 0x7F112233;
        fb.At(3, 0) = 0x00112233;
        foreach (var palette in new[] { true, false })
        {
            var img = PngTestDecoder.Decode(Encode(fb, fb.Bounds, new PngEncoderOptions { UsePalette = palette }));
            Assert.Equal([0x00FF00u, 0x00FF00u, 0x112233u, 0x112233u], img.Pixels);
        }
    }

    [Fact]
    public void Dirty_fragmented_output_gives_the_same_bytes()
    {
        var fb = TestImages.Desktop(300, 200, 8);
        foreach (var options in new[] { new PngEncoderOptions(), new PngEncoderOptions { UsePalette = false, MaxIdatChunkSize = 4096 } })
        {
            var clean = Encode(fb, fb.Bounds, options);
            var dirty = new DirtyBufferWriter();
            var n = new PngEncoder(options).Encode(fb, fb.Bounds, dirty);
            Assert.Equal(clean, dirty.ToArray());
            Assert.Equal(n, clean.Length);
        }
    }

    [Fact]
    public void Large_noisy_image_splits_into_several_idat_chunks()
    {
        var fb = TestImages.Noise(256, 128, 5);
        var png = Encode(fb, fb.Bounds, new PngEncoderOptions { UsePalette = false, MaxIdatChunkSize = 4096 });
        var img = PngTestDecoder.Decode(png);
        Assert.True(img.IdatChunks > 20);
        Assert.Equal(fb.Pixels.ToArray(), img.Pixels);
    }

    [Fact]
    public void Reused_encoder_matches_a_fresh_one()
    {
        var big = TestImages.Noise(120, 80, 1);
        var small = TestImages.WithColors(9, 5, 3, 2);
        var reused = new PngEncoder();
        var a1 = Encode(reused, big, big.Bounds);
        var b1 = Encode(reused, small, small.Bounds);
        var a2 = Encode(reused, big, new Rect(3, 3, 50, 50));
        Assert.Equal(Encode(new PngEncoder(), big, big.Bounds), a1);
        Assert.Equal(Encode(new PngEncoder(), small, small.Bounds), b1);
        Assert.Equal(Encode(new PngEncoder(), big, new Rect(3, 3, 50, 50)), a2);
    }

    [Fact]
    public void Flat_content_compresses_well()
    {
        var fb = new Framebuffer(1920, 1080);
        fb.Fill(fb.Bounds, 0x336699);
        var png = Encode(fb, fb.Bounds, PngEncoderOptions.Default);
        Assert.True(png.Length < 8 * 1024, $"flat 1080p screen took {png.Length} bytes");
    }

    [Theory]
    [InlineData(System.IO.Compression.CompressionLevel.NoCompression, null)]
    [InlineData(System.IO.Compression.CompressionLevel.Optimal, null)]
    [InlineData(System.IO.Compression.CompressionLevel.SmallestSize, null)]
    [InlineData(System.IO.Compression.CompressionLevel.Fastest, 9)]
    [InlineData(System.IO.Compression.CompressionLevel.Fastest, 0)]
    public void Every_compression_setting_round_trips(System.IO.Compression.CompressionLevel level, int? zlibLevel)
    {
        var desktop = TestImages.Desktop(120, 70, 6);
        var noise = TestImages.Noise(50, 40, 6);
        foreach (var strategy in new System.IO.Compression.ZLibCompressionStrategy?[] { null, System.IO.Compression.ZLibCompressionStrategy.Filtered, System.IO.Compression.ZLibCompressionStrategy.HuffmanOnly })
        {
            var options = new PngEncoderOptions { CompressionLevel = level, ZLibLevel = zlibLevel, Strategy = strategy };
            Assert.Equal(desktop.Pixels.ToArray(), PngTestDecoder.Decode(Encode(desktop, desktop.Bounds, options)).Pixels);
            Assert.Equal(noise.Pixels.ToArray(), PngTestDecoder.Decode(Encode(noise, noise.Bounds, options)).Pixels);
        }
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        var fb = new Framebuffer(10, 10);
        var e = new PngEncoder();
        var w = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Encode(fb, new Rect(5, 5, 6, 1), w));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Encode(fb, new Rect(0, 0, 0, 1), w));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Encode(fb, new Rect(-1, 0, 2, 2), w));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PngEncoder(new PngEncoderOptions { MaxIdatChunkSize = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PngEncoder(new PngEncoderOptions { ZLibLevel = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PngEncoder(new PngEncoderOptions { Filter = (PngFilter)9 }));
        Assert.Equal(0, w.WrittenCount);
    }

    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(10, 20, 15, 15)] // p=15: pa=5, pb=5, pc=0 -> c
    [InlineData(10, 20, 10, 20)] // p=20: pa=10, pb=0 -> b
    [InlineData(20, 10, 10, 20)] // p=20: pa=0 -> a
    [InlineData(255, 0, 255, 0)]
    public void Paeth_predictor(int a, int b, int c, int expected) => Assert.Equal(expected, PngEncoder.Paeth(a, b, c));

    [Fact]
    public void Sum_of_absolute_matches_scalar()
    {
        var rng = new Random(1);
        var data = new byte[1000];
        rng.NextBytes(data);
        for (var n = 0; n < 100; n++)
        {
            long expected = 0;
            foreach (var b in data.AsSpan(0, n * 7)) expected += Math.Abs((int)(sbyte)b);
            Assert.Equal(expected, PngEncoder.SumOfAbsolute(data.AsSpan(0, n * 7)));
        }
    }

    [Fact]
    public void Row_conversion_matches_scalar_for_every_length()
    {
        var rng = new Random(2);
        for (var n = 0; n < 40; n++)
        {
            var px = new uint[n];
            for (var i = 0; i < n; i++) px[i] = (uint)rng.Next();
            var rgb = new byte[n * 3];
            rgb.AsSpan().Fill(0xEE);
            PngEncoder.ConvertRow(px, rgb);
            for (var i = 0; i < n; i++)
            {
                Assert.Equal((byte)(px[i] >> 16), rgb[i * 3]);
                Assert.Equal((byte)(px[i] >> 8), rgb[(i * 3) + 1]);
                Assert.Equal((byte)px[i], rgb[(i * 3) + 2]);
            }
        }
    }

    internal static int BitDepth(int colors) => colors <= 2 ? 1 : colors <= 4 ? 2 : colors <= 16 ? 4 : 8;

    internal static byte[] Encode(Framebuffer fb, Rect area, PngEncoderOptions options) => Encode(new PngEncoder(options), fb, area);

    internal static byte[] Encode(PngEncoder encoder, Framebuffer fb, Rect area)
    {
        var w = new ArrayBufferWriter<byte>();
        encoder.Encode(fb, area, w);
        return w.WrittenSpan.ToArray();
    }
}
