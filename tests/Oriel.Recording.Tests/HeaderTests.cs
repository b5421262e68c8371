using Oriel.Wire;

namespace Oriel.Recording.Tests;

public class HeaderTests
{
    private static byte[] Encode(StreamRecordingHeader h)
    {
        var b = new byte[h.Size];
        h.Encode(b);
        return b;
    }

    [Fact]
    public void RoundTripsUnicodeAndEmptyFields()
    {
        var h = new StreamRecordingHeader { Kind = "rfb-passthrough", User = "jürgen", TargetId = "", StartUnixMilliseconds = -5 };
        Assert.True(StreamRecordingHeader.TryDecode(Encode(h), out var back, out var n));
        Assert.Equal(h.Size, n);
        Assert.Equal("jürgen", back!.User);
        Assert.Equal(-5, back.StartUnixMilliseconds);
        Assert.Equal("", back.Metadata);
    }

    [Theory]
    [InlineData("")]
    [InlineData("RFB")]
    [InlineData("rfb passthrough")]
    [InlineData("a-very-long-kind-name-that-goes-on-and-on-past-the-sixty-four-byte-cap")]
    public void WriterRefusesBadKinds(string kind) =>
        Assert.Throws<ArgumentException>(() => new StreamRecordingHeader { Kind = kind }.Size);

    [Theory]
    [InlineData("[1]")]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("\"x\"")]
    public void WriterRefusesMetadataThatIsNotOneJsonObject(string metadata) =>
        Assert.Throws<ArgumentException>(() => new StreamRecordingHeader { Kind = "k", Metadata = metadata }.Size);

    [Fact]
    public void WriterRefusesFieldsOverTheirCaps()
    {
        Assert.Throws<ArgumentException>(() => new StreamRecordingHeader { Kind = "k", SessionId = new string('s', 129) }.Size);
        Assert.Throws<ArgumentException>(() => new StreamRecordingHeader { Kind = "k", User = new string('é', 128) }.Size);
        Assert.Throws<ArgumentException>(() => new StreamRecordingHeader { Kind = "k", Metadata = "{\"a\":\"" + new string('x', 16 * 1024) + "\"}" }.Size);
    }

    [Fact]
    public void AsksForMoreUntilComplete()
    {
        var bytes = Encode(new StreamRecordingHeader { Kind = "k", Metadata = "{}" });
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.False(StreamRecordingHeader.TryDecode(bytes.AsSpan(0, n), out _, out var consumed));
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void RefusesBadMagicAtOnce()
    {
        var ex = Assert.Throws<DecodeException>(() => StreamRecordingHeader.TryDecode("RFB "u8, out _, out _));
        Assert.Contains("magic", ex.Why);
    }

    [Fact]
    public void RefusesAnotherMajorVersion()
    {
        var bytes = Encode(new StreamRecordingHeader { Kind = "k" });
        bytes[8] = 2;
        var ex = Assert.Throws<DecodeException>(() => StreamRecordingHeader.TryDecode(bytes, out _, out _));
        Assert.Equal(8, ex.Offset);
    }

    [Fact]
    public void AcceptsALaterMinorVersionWithExtraFields()
    {
        // A 1.2 writer appended two bytes of a field this (1.1) reader does not know.
        var h = new StreamRecordingHeader { Kind = "k", User = "u" };
        var current = Encode(h);
        Assert.Equal(StreamRecordingFormat.MinorVersion, current[9]);
        var fields = current[12..^4];
        byte[] body = [.. current[..8], 1, 2, 0, (byte)(fields.Length + 2), .. fields, 0xAB, 0xCD];
        var crc = Crc32C.Compute(body);
        byte[] later = [.. body, (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
        Assert.True(StreamRecordingHeader.TryDecode(later, out var back, out var n));
        Assert.Equal(later.Length, n);
        Assert.Equal(2, back!.MinorVersion);
        Assert.Equal("u", back.User);
    }

    [Fact]
    public void DetectsAChangedByte()
    {
        var bytes = Encode(new StreamRecordingHeader { Kind = "k", User = "u" });
        bytes[20] ^= 1;
        var ex = Assert.Throws<DecodeException>(() => StreamRecordingHeader.TryDecode(bytes, out _, out _));
        Assert.Contains("checksum", ex.Why);
    }
}
