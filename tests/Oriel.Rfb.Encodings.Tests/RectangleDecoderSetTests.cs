namespace Oriel.Rfb.Encodings.Tests;

public class RectangleDecoderSetTests
{
    [Fact]
    public void Every_preferred_encoding_has_a_decoder_and_pseudo_encodings_have_none()
    {
        var set = new RectangleDecoderSet();
        foreach (var e in RectangleDecoderSet.DefaultPreference)
        {
            Assert.True(set.TryGet(e, out var d));
            Assert.Equal(e, d.EncodingType);
        }
        Assert.Equal(RfbEncodingType.CopyRect, RectangleDecoderSet.DefaultPreference[0]);
        Assert.Equal(RfbEncodingType.Raw, RectangleDecoderSet.DefaultPreference[^1]);
        foreach (var e in new[] { RfbEncodingType.Cursor, RfbEncodingType.DesktopSize, RfbEncodingType.TightPng, RfbEncodingType.LastRect, 6, 8 })
        {
            Assert.False(set.TryGet(e, out _));
        }
    }

    [Fact]
    public void Encoding_numbers_match_the_specifications()
    {
        Assert.Equal(-1063131698, RfbEncodingType.ExtendedClipboard);
        Assert.Equal(-247, RfbEncodingType.CompressLevel(9));
        Assert.Equal(-23, RfbEncodingType.QualityLevel(9));
        Assert.Equal(-32, RfbEncodingType.QualityLevel0);
        Assert.Equal(-256, RfbEncodingType.CompressLevel0);
    }
}
