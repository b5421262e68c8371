using Oriel.TestPeers;
using Oriel.Wire;

namespace Oriel.Integration.Tests.Peers;

public sealed class XwdReaderTests
{
    // Header of a real `xwd -root` dump of a 320x200 depth-24 Xvnc screen (TigerVNC 1.12, Debian 12):
    // header_size 107, version 7, ZPixmap, depth 24, 320x200, LSBFirst, 32 bpp, 1280 bytes per line,
    // TrueColor with masks ff0000/00ff00/0000ff, 256 colours, window name "xwdump".
    private static readonly byte[] s_realHeader = Convert.FromHexString(
        "0000006b00000007000000020000001800000140000000c8000000000000000000000020000000000000002000000020" +
        "000005000000000400ff00000000ff00000000ff00000008000001000000010000000140000000c8000000000000000000" +
        "000000787764756d7000");

    /// <summary>The real header, the colour table xwd wrote (entry i: pixel i, grey i/255, flags 7), and a solid image.</summary>
    private static byte[] RealLayout(uint pixelLe)
    {
        var file = new byte[107 + 256 * 12 + 1280 * 200];
        s_realHeader.CopyTo(file, 0);
        for (var i = 0; i < 256; i++)
        {
            var e = file.AsSpan(107 + i * 12, 12);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(e, (uint)i);
            e[4] = e[5] = e[6] = e[7] = e[8] = e[9] = (byte)i;
            e[10] = 7;
        }
        for (var at = 107 + 256 * 12; at < file.Length; at += 4)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), pixelLe);
        }
        return file;
    }

    [Fact]
    public void Reads_the_layout_of_a_real_xvnc_dump()
    {
        var image = XwdReader.Read(RealLayout(0x00FF0000));
        Assert.Equal(320, image.Width);
        Assert.Equal(200, image.Height);
        Assert.All(image.Pixels, p => Assert.Equal(0xFF0000u, p));
    }

    [Fact]
    public void Reads_a_32bpp_lsb_truecolor_image_through_the_masks()
    {
        var file = XwdBuilder.Build(3, 2, 32, msbFirst: false, visualClass: 4, 0xFF0000, 0x00FF00, 0x0000FF, [],
            (x, y) => 0xAA000000u | (uint)(x * 0x10) << 16 | (uint)(y * 0x20) << 8 | 0x05u);
        var image = XwdReader.Read(file);
        Assert.Equal(3, image.Width);
        Assert.Equal(2, image.Height);
        Assert.Equal(0x000000_05u, image.At(0, 0)); // the unused top byte 0xAA is masked off
        Assert.Equal(0x202005u, image.At(2, 1));
    }

    [Fact]
    public void Reads_a_16bpp_msb_rgb565_image_scaling_each_channel_to_8_bits()
    {
        var file = XwdBuilder.Build(2, 1, 16, msbFirst: true, visualClass: 4, 0xF800, 0x07E0, 0x001F, [],
            (x, _) => x == 0 ? 0xF800u : 0x07FFu, rowPadding: 2);
        var image = XwdReader.Read(file);
        Assert.Equal(0xFF0000u, image.At(0, 0));
        Assert.Equal(0x00FFFFu, image.At(1, 0));
    }

    [Fact]
    public void Reads_an_8bpp_pseudocolor_image_through_the_colour_table()
    {
        var file = XwdBuilder.Build(2, 2, 8, msbFirst: false, visualClass: 3, 0, 0, 0,
            [(0, 0x0000, 0x0000, 0x0000), (7, 0x1234, 0xFFFF, 0x8000)], (x, y) => (x + y) % 2 == 0 ? 0u : 7u);
        var image = XwdReader.Read(file);
        Assert.Equal(0u, image.At(0, 0));
        Assert.Equal(0x12FF80u, image.At(1, 0));
        Assert.Equal(0x12FF80u, image.At(0, 1));
    }

    [Fact]
    public void Reads_24bpp_packed_pixels()
    {
        var file = XwdBuilder.Build(2, 1, 24, msbFirst: false, visualClass: 4, 0xFF0000, 0x00FF00, 0x0000FF, [],
            (x, _) => x == 0 ? 0x123456u : 0xABCDEFu, rowPadding: 2);
        var image = XwdReader.Read(file);
        Assert.Equal(new uint[] { 0x123456, 0xABCDEF }, image.Pixels);
    }

    [Fact]
    public void Refuses_a_real_header_whose_image_is_missing()
    {
        var e = Assert.Throws<DecodeException>(() => XwdReader.Read(RealLayout(0).AsSpan(0, 107 + 256 * 12 + 1000)));
        Assert.Contains("image data", e.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 6u, "file_version")]       // version 6
    [InlineData(8, 1u, "ZPixmap")]            // XYPixmap
    [InlineData(16, 20000u, "exceeds")]       // width beyond the cap
    [InlineData(44, 12u, "bits_per_pixel")]   // 12 bpp
    [InlineData(48, 4u, "bytes_per_line")]    // shorter than a row
    [InlineData(76, 100000u, "ncolors")]      // colour count beyond the cap
    public void Refuses_bad_header_fields_before_allocating(int offset, uint value, string why)
    {
        var file = XwdBuilder.Build(4, 4, 32, false, 4, 0xFF0000, 0x00FF00, 0x0000FF, [], (_, _) => 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(offset), value);
        var e = Assert.Throws<DecodeException>(() => XwdReader.Read(file));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_and_mutated_input_yields_an_image_or_a_DecodeException()
    {
        var rng = new Random(1234);
        var valid = XwdBuilder.Build(5, 3, 8, false, 3, 0, 0, 0, [(0, 0, 0, 0), (1, 0xFFFF, 0, 0)], (x, _) => (uint)(x & 1));
        for (var i = 0; i < 3000; i++)
        {
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[rng.Next(0, 400)];
                rng.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                var flips = rng.Next(1, 6);
                for (var f = 0; f < flips; f++) input[rng.Next(input.Length)] = (byte)rng.Next(256);
                if (i % 7 == 0) input = input[..rng.Next(input.Length)];
            }
            try
            {
                var image = XwdReader.Read(input);
                Assert.Equal(image.Width * image.Height, image.Pixels.Length);
            }
            catch (DecodeException)
            {
            }
        }
    }
}
