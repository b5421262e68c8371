using Oriel.Wire;

namespace Oriel.Wire.Tests;

public class SpanReaderTests
{
    [Fact]
    public void ReadsBigEndianFields()
    {
        byte[] bytes = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xFF, 0xFE];
        var r = new SpanReader(bytes);
        Assert.Equal(0x01, r.ReadByte());
        Assert.Equal(0x0203, r.ReadUInt16());
        Assert.Equal(0x04050607u, r.ReadUInt32());
        Assert.Equal(-2, r.ReadInt16());
        r.EnsureEnd();
    }

    [Fact]
    public void TruncationThrowsDecodeExceptionWithOffset()
    {
        byte[] bytes = [0x00, 0x01, 0x02];
        var ex = Assert.Throws<DecodeException>(() =>
        {
            var r = new SpanReader(bytes, "test message");
            r.ReadByte();
            r.ReadUInt32("width");
        });
        Assert.Equal("test message", ex.What);
        Assert.Equal(1, ex.Offset);
        Assert.Contains("width", ex.Why);
    }

    [Fact]
    public void LengthOverCapIsRefusedBeforeReadingTheBody()
    {
        byte[] bytes = [0x7F, 0xFF, 0xFF, 0xFF];
        var ex = Assert.Throws<DecodeException>(() =>
        {
            var r = new SpanReader(bytes);
            r.ReadString32(1024, "name");
        });
        Assert.Contains("exceeds the cap of 1024", ex.Why);
    }

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        byte[] bytes = [0, 0, 0, 2, 0xC3, 0x28];
        Assert.Throws<DecodeException>(() =>
        {
            var r = new SpanReader(bytes);
            r.ReadString32(16);
        });
    }

    [Fact]
    public void WriterRoundTripsStrings()
    {
        var buf = new byte[64];
        var w = new SpanWriter(buf);
        w.WriteString32("grüße");
        w.WriteInt64(-5);
        var r = new SpanReader(buf.AsSpan(0, w.Position));
        Assert.Equal("grüße", r.ReadString32(64));
        Assert.Equal(-5, r.ReadInt64());
        r.EnsureEnd();
    }
}
