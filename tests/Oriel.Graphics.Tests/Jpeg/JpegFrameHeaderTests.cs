using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;
using Oriel.Wire;

namespace Oriel.Graphics.Tests.Jpeg;

/// <summary>
/// The managed frame-header reader (ITU-T T.81 B.2.1, B.2.2): the check the core does on untrusted
/// JPEG bytes before the host's native library sees them. Byte vectors are written out by hand from
/// the layout in T.81 B.2; real files come from libjpeg-turbo.
/// </summary>
public sealed class JpegFrameHeaderTests
{
    // SOI; APP0 "JFIF\0" 1.01, no density, no thumbnail (16 bytes); DQT stub (4 bytes: length 4, Pq/Tq, 1 value);
    // SOF0 P=8 Y=0x0030 (48) X=0x0040 (64) Nf=3, components 1 (2x2, Tq0), 2 (1x1, Tq1), 3 (1x1, Tq1).
    private const string Baseline64x48 =
        "FFD8" +
        "FFE0 0010 4A46494600 0101 00 0001 0001 00 00" +
        "FFDB 0004 0000" +
        "FFC0 0011 08 0030 0040 03 012200 021101 031101" +
        "FFDA";

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void A_hand_written_baseline_header_reads_as_its_fields()
    {
        var h = JpegFrameHeader.Read(Hex(Baseline64x48));
        Assert.Equal(new JpegFrameHeader(0xC0, 8, 64, 48, 3), h);
        Assert.False(h.IsProgressive);
    }

    [Fact]
    public void Fill_bytes_before_a_marker_and_standalone_markers_are_skipped()
    {
        var h = JpegFrameHeader.Read(Hex("FFD8 FFFFFF01 FFD3 FFC2 000B 08 0010 0020 01 011100"));
        Assert.Equal(new JpegFrameHeader(0xC2, 8, 32, 16, 1), h);
        Assert.True(h.IsProgressive);
    }

    [Fact]
    public void Files_libjpeg_turbo_writes_read_the_same_as_the_library_says()
    {
        using var codec = TurboJpegLibrary.CreateCodec();
        foreach (var (w, h, s) in new[] { (97, 61, JpegSubsampling.Chroma420), (16, 300, JpegSubsampling.Gray), (1, 1, JpegSubsampling.Chroma444) })
        {
            var jpeg = JpegImages.Encode(codec, JpegImages.Gradient(w, h), 80, s);
            var header = JpegFrameHeader.Read(jpeg);
            Assert.Equal((w, h), (header.Width, header.Height));
            Assert.Equal(s == JpegSubsampling.Gray ? 1 : 3, header.Components);
            Assert.Equal(8, header.Precision);
        }
    }

    [Theory]
    [InlineData("", "no SOI")]
    [InlineData("FFD9", "no SOI")]
    [InlineData("FFD8", "ends before a frame header")]
    [InlineData("FFD8 FFFF", "ends before a frame header")]
    [InlineData("FFD8 00", "where a marker belongs")]
    [InlineData("FFD8 FF00", "stuffed zero")]
    [InlineData("FFD8 FFD8", "second SOI")]
    [InlineData("FFD8 FFD9", "EOI before")]
    [InlineData("FFD8 FFDA 0002", "scan before")]
    [InlineData("FFD8 FFE0 00", "inside a marker segment length")]
    [InlineData("FFD8 FFE0 0001", "under 2")]
    [InlineData("FFD8 FFE0 0010 00", "runs past the end")]
    [InlineData("FFD8 FFC0 0006 08 0010 0010", "shorter than 8")]
    [InlineData("FFD8 FFC0 0008 08 0010 0010 00", "no components")]
    [InlineData("FFD8 FFC0 000B 08 0010 0010 03 011100", "does not fit 3 components")]
    [InlineData("FFD8 FFC0 000B 08 0010 0000 01 011100", "width 0")]
    [InlineData("FFD8 FFC0 000B 08 0000 0010 01 011100", "height 0")]
    public void Malformed_headers_are_decode_exceptions_that_say_why(string hex, string why)
    {
        var e = Assert.Throws<DecodeException>(() => JpegFrameHeader.Read(Hex(hex)));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DHT_JPG_and_DAC_are_not_frame_headers()
    {
        // 0xC4, 0xC8 and 0xCC share the SOF range but are tables; the reader skips them.
        var h = JpegFrameHeader.Read(Hex("FFD8 FFC4 0003 00 FFC8 0002 FFCC 0004 0000 FFC1 000B 08 0002 0003 01 011100"));
        Assert.Equal(new JpegFrameHeader(0xC1, 8, 3, 2, 1), h);
    }

    [Fact]
    public void Random_bytes_after_soi_end_in_a_header_or_a_decode_exception()
    {
        var rng = new Random(77);
        var seed = Hex(Baseline64x48);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = i % 2 == 0 ? new byte[rng.Next(2, 64)] : (byte[])seed.Clone();
            if (i % 2 == 0)
            {
                rng.NextBytes(bytes);
                bytes[0] = 0xFF;
                bytes[1] = 0xD8;
            }
            else
            {
                bytes[rng.Next(2, bytes.Length)] = (byte)rng.Next(256);
            }
            try
            {
                var h = JpegFrameHeader.Read(bytes);
                Assert.True(h.Width > 0 && h.Height > 0 && h.Components > 0);
            }
            catch (DecodeException)
            {
                // Refused, the one way malformed input may end.
            }
        }
    }
}
