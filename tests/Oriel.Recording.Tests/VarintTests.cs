using Oriel.Wire;

namespace Oriel.Recording.Tests;

public class VarintTests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(1000UL, "e807")]
    [InlineData(16384UL, "808001")]
    [InlineData(long.MaxValue, "ffffffffffffffff7f")]
    public void EncodesAndDecodes(ulong value, string hex)
    {
        var bytes = HexVectors.Hex(hex);
        var buffer = new byte[Varint.MaxLength];
        Assert.Equal(bytes.Length, Varint.Write(buffer, value));
        Assert.Equal(bytes, buffer[..bytes.Length]);
        Assert.Equal(bytes.Length, Varint.Size(value));
        Assert.True(Varint.TryRead(bytes, 0, "t", "v", out var read, out var length));
        Assert.Equal((long)value, read);
        Assert.Equal(bytes.Length, length);
        var r = new SpanReader(bytes);
        Assert.Equal((long)value, Varint.Read(ref r, "v"));
        r.EnsureEnd();
    }

    [Theory]
    [InlineData("8000")]
    [InlineData("ff00")]
    [InlineData("808000")]
    public void RefusesLongerForms(string hex)
    {
        var bytes = HexVectors.Hex(hex);
        Assert.Throws<DecodeException>(() => Varint.TryRead(bytes, 0, "t", "v", out _, out _));
        Assert.Throws<DecodeException>(() =>
        {
            var r = new SpanReader(bytes);
            Varint.Read(ref r, "v");
        });
    }

    [Fact]
    public void RefusesMoreThanNineBytes()
    {
        var bytes = HexVectors.Hex("80808080808080808001");
        var ex = Assert.Throws<DecodeException>(() => Varint.TryRead(bytes, 100, "t", "v", out _, out _));
        Assert.Equal(100, ex.Offset);
    }

    [Fact]
    public void AsksForMoreWhenCutShort()
    {
        Assert.False(Varint.TryRead(HexVectors.Hex("8080"), 0, "t", "v", out _, out _));
        Assert.False(Varint.TryRead([], 0, "t", "v", out _, out _));
    }

    [Fact]
    public void WriterRefusesValuesAbove63Bits() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Varint.Write(new byte[10], ulong.MaxValue));
}
