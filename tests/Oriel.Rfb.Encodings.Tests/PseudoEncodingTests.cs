using Oriel.Wire;

namespace Oriel.Rfb.Encodings.Tests;

public class PseudoEncodingTests
{
    [Fact]
    public void Cursor_payload_length_counts_pixels_and_mask()
    {
        Assert.Equal(2 * 2 * 4 + 1 * 2, CursorPseudoEncoding.PayloadLength(2, 2, 4));
        Assert.Equal(9 * 3 * 2 + 2 * 3, CursorPseudoEncoding.PayloadLength(9, 3, 2));
        Assert.Equal(0, CursorPseudoEncoding.PayloadLength(0, 0, 4));
        Assert.Throws<DecodeException>(() => CursorPseudoEncoding.PayloadLength(257, 1, 4));
        Assert.Throws<DecodeException>(() => CursorPseudoEncoding.PayloadLength(1, 65535, 4));
    }

    [Fact]
    public void Cursor_decodes_to_straight_RGBA_with_alpha_from_the_mask()
    {
        // Hand-built: 2x2, 32bpp LE: red, green / blue, white; mask rows 80 (x0 only), 40 (x1 only).
        var payload = Convert.FromHexString("0000FF00" + "00FF0000" + "FF000000" + "FFFFFF00" + "80" + "40");
        var rgba = CursorPseudoEncoding.DecodeRgba(payload, 2, 2, new PixelConverter(PixelFormat.Rgb888));
        Assert.Equal(Convert.FromHexString("FF0000FF" + "00FF0000" + "0000FF00" + "FFFFFFFF"), rgba);
    }

    [Fact]
    public void Cursor_in_16bpp_with_a_wide_mask_row()
    {
        // 9x1 at 16bpp 5-6-5 LE: all red; mask 2 bytes a row: FF 80 = all nine visible.
        var px = string.Concat(Enumerable.Repeat("00F8", 9));
        var rgba = CursorPseudoEncoding.DecodeRgba(Convert.FromHexString(px + "FF80"), 9, 1, TestFormats.Converter("rgb565"));
        for (var i = 0; i < 9; i++) Assert.Equal(new byte[] { 255, 0, 0, 255 }, rgba[(i * 4)..(i * 4 + 4)]);
    }

    [Fact]
    public void Cursor_with_a_wrong_payload_length_is_refused()
    {
        Assert.Throws<DecodeException>(() => CursorPseudoEncoding.DecodeRgba(new byte[9], 2, 2, new PixelConverter(PixelFormat.Rgb888)));
    }

    // Hand-built from rfbproto "ExtendedDesktopSize": 2 screens, padding, then id/x/y/w/h/flags.
    private const string TwoScreens =
        "02000000" +
        "00000001" + "0000" + "0000" + "0780" + "0438" + "00000000" +
        "0000002A" + "0780" + "0010" + "0400" + "0300" + "00000001";

    [Fact]
    public void ExtendedDesktopSize_decodes_and_encodes_the_same_bytes()
    {
        var bytes = Convert.FromHexString(TwoScreens);
        Assert.True(ExtendedDesktopSizePayload.TryGetLength(bytes, out var length));
        Assert.Equal(bytes.Length, length);
        var r = new SpanReader(bytes);
        var p = ExtendedDesktopSizePayload.Decode(ref r);
        r.EnsureEnd();
        Assert.Equal([new DesktopScreen(1, 0, 0, 1920, 1080, 0), new DesktopScreen(42, 1920, 16, 1024, 768, 1)], p.Screens);
        var o = new byte[p.Size];
        var w = new SpanWriter(o);
        p.Encode(ref w);
        Assert.Equal(bytes, o);
    }

    [Fact]
    public void ExtendedDesktopSize_caps_screens_and_refuses_truncation()
    {
        Assert.False(ExtendedDesktopSizePayload.TryGetLength([], out _));
        Assert.Throws<DecodeException>(() => ExtendedDesktopSizePayload.TryGetLength([65, 0, 0, 0], out _));
        var tooMany = new byte[4 + 65 * 16];
        tooMany[0] = 65;
        Assert.Throws<DecodeException>(() => { var r = new SpanReader(tooMany); ExtendedDesktopSizePayload.Decode(ref r); });
        var truncated = Convert.FromHexString(TwoScreens)[..30];
        Assert.Throws<DecodeException>(() => { var r = new SpanReader(truncated); ExtendedDesktopSizePayload.Decode(ref r); });
    }
}
