using Oriel.Graphics;

namespace Oriel.Rfb.Encodings.Tests;

/// <summary>
/// The same random image, encoded by the test in each encoding, must decode to what Raw decodes
/// to, in every pixel format (this is where the CPIXEL and TPIXEL rules are checked per format).
/// </summary>
public class CrossEncodingTests
{
    private const int W = 37;
    private const int H = 21;

    public static TheoryData<string> Formats()
    {
        var d = new TheoryData<string>();
        foreach (var f in TestFormats.All) d.Add(f);
        return d;
    }

    private static Framebuffer Decode(string format, int encoding, byte[] payload, int x = 3, int y = 2)
    {
        var fb = new Framebuffer(64, 32);
        var context = new RectangleContext(fb, TestFormats.Converter(format), new RecordingSink());
        Assert.True(new RectangleDecoderSet().TryGet(encoding, out var decoder));
        Assert.Equal(payload.Length, Feeder.Run(decoder, new Rect(x, y, W, H), context, payload, Feeder.Random(3)));
        return fb;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Hextile_RRE_TRLE_ZRLE_and_Tight_match_Raw(string format)
    {
        var img = new TestImage(format, W, H, seed: format.Length);
        var raw = Decode(format, RfbEncodingType.Raw, img.Raw());

        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Hextile, HextileRaw(img)));
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Rre, RreOnePixelEach(img)));
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Trle, RleRawTiles(img, 16)));
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Zrle, Zrle(RleRawTiles(img, 64))));
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Tight, TightCopy(img)));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Palette_and_RLE_tiles_match_Raw(string format)
    {
        var img = new TestImage(format, W, H, seed: 11, colours: 5);
        var raw = Decode(format, RfbEncodingType.Raw, img.Raw());
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Zrle, Zrle(RleTiles(img, 64, packed: true))));
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Zrle, Zrle(RleTiles(img, 64, packed: false))));
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Trle, RleTiles(img, 16, packed: true)));
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Trle, RleTiles(img, 16, packed: false)));
        VectorTests.AssertSame(raw, Decode(format, RfbEncodingType.Tight, TightPalette(img)));
    }

    private static IEnumerable<(int X, int Y, int W, int H)> Tiles(int side)
    {
        for (var ty = 0; ty < H; ty += side)
            for (var tx = 0; tx < W; tx += side)
                yield return (tx, ty, Math.Min(side, W - tx), Math.Min(side, H - ty));
    }

    private static byte[] HextileRaw(TestImage img)
    {
        var o = new List<byte>();
        foreach (var t in Tiles(16))
        {
            o.Add(1);
            for (var y = 0; y < t.H; y++)
                for (var x = 0; x < t.W; x++)
                    o.AddRange(img.Pixel(img.Values[(t.Y + y) * W + t.X + x]));
        }
        return [.. o];
    }

    private static byte[] RreOnePixelEach(TestImage img)
    {
        var o = new List<byte>(EncodingVector.U32(W * H));
        o.AddRange(img.Pixel(0));
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                o.AddRange(img.Pixel(img.Values[y * W + x]));
                o.AddRange([0, (byte)x, 0, (byte)y, 0, 1, 0, 1]);
            }
        return [.. o];
    }

    private static byte[] RleRawTiles(TestImage img, int side)
    {
        var o = new List<byte>();
        foreach (var t in Tiles(side))
        {
            o.Add(0);
            for (var y = 0; y < t.H; y++)
                for (var x = 0; x < t.W; x++)
                    o.AddRange(img.CPixel(img.Values[(t.Y + y) * W + t.X + x]));
        }
        return [.. o];
    }

    /// <summary>Each tile as a packed palette (4-bit indices) or palette RLE with runs of equal pixels.</summary>
    private static byte[] RleTiles(TestImage img, int side, bool packed)
    {
        var o = new List<byte>();
        foreach (var t in Tiles(side))
        {
            var px = new List<uint>();
            for (var y = 0; y < t.H; y++)
                for (var x = 0; x < t.W; x++)
                    px.Add(img.Values[(t.Y + y) * W + t.X + x]);
            var palette = px.Distinct().ToList();
            Assert.InRange(palette.Count, 2, 16);
            if (packed)
            {
                o.Add((byte)Math.Max(palette.Count, 5)); // force 4-bit indices
                for (var i = 0; i < Math.Max(palette.Count, 5); i++) o.AddRange(img.CPixel(palette[Math.Min(i, palette.Count - 1)]));
                for (var y = 0; y < t.H; y++)
                    for (var x = 0; x < t.W; x += 2)
                    {
                        var hi = palette.IndexOf(px[y * t.W + x]);
                        var lo = x + 1 < t.W ? palette.IndexOf(px[y * t.W + x + 1]) : 0;
                        o.Add((byte)(hi << 4 | lo));
                    }
            }
            else
            {
                o.Add((byte)(128 + palette.Count));
                foreach (var c in palette) o.AddRange(img.CPixel(c));
                for (var i = 0; i < px.Count;)
                {
                    var run = 1;
                    while (i + run < px.Count && px[i + run] == px[i]) run++;
                    var index = palette.IndexOf(px[i]);
                    if (run == 1)
                    {
                        o.Add((byte)index);
                    }
                    else
                    {
                        o.Add((byte)(index | 0x80));
                        var left = run - 1;
                        while (left >= 255) { o.Add(255); left -= 255; }
                        o.Add((byte)left);
                    }
                    i += run;
                }
            }
        }
        return [.. o];
    }

    private static byte[] Zrle(byte[] tiles)
    {
        using var c = new Compressor();
        var block = c.Compress(tiles);
        return [.. EncodingVector.U32(block.Length), .. block];
    }

    private static byte[] TightCopy(TestImage img)
    {
        var data = img.Values.SelectMany(img.TPixel).ToArray();
        using var c = new Compressor();
        var block = c.Compress(data);
        return [0x00, .. EncodingVector.CompactLength(block.Length), .. block];
    }

    private static byte[] TightPalette(TestImage img)
    {
        var palette = img.Values.Distinct().ToList();
        var o = new List<byte> { 0x40, 0x01, (byte)(palette.Count - 1) };
        foreach (var c in palette) o.AddRange(img.TPixel(c));
        var indices = img.Values.Select(v => (byte)palette.IndexOf(v)).ToArray();
        using var z = new Compressor();
        var block = z.Compress(indices);
        o.AddRange(EncodingVector.CompactLength(block.Length));
        o.AddRange(block);
        return [.. o];
    }
}
