using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Tdp.Tests;

/// <summary>The shared byte vectors (tests/vectors/tdp.json): decode → fields, encode → same bytes, framing, refusals.</summary>
public sealed class TdpVectorTests
{
    public static TheoryData<string> ValidNames => [.. TdpVectors.Valid.Select(v => v.GetProperty("name").GetString()!)];

    public static TheoryData<string> InvalidNames => [.. TdpVectors.Invalid.Select(v => v.GetProperty("name").GetString()!)];

    [Fact]
    public void Every_message_type_has_a_valid_vector()
    {
        var seen = TdpVectors.Valid.Select(v => (TdpMessageType)v.GetProperty("message").GetProperty("type").GetByte()).ToHashSet();
        Assert.Equal(Enum.GetValues<TdpMessageType>().Order(), seen.Order());
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Decodes_to_the_fields(string name)
    {
        var v = TdpVectors.ValidNamed(name);
        MessageAssert.Equal(TdpVectors.Message(v), TdpCodec.Decode(TdpVectors.Bytes(v)));
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Encodes_to_the_same_bytes(string name)
    {
        var v = TdpVectors.ValidNamed(name);
        var bytes = TdpVectors.Bytes(v);
        var m = TdpVectors.Message(v);
        Assert.Equal(bytes.Length, m.Size);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(TdpCodec.Encode(m)));

        // Into a dirty, larger buffer: exactly Size bytes written, the rest untouched.
        var dirty = Enumerable.Repeat((byte)0xFF, bytes.Length + 7).ToArray();
        Assert.Equal(bytes.Length, TdpCodec.Encode(m, dirty));
        Assert.Equal(bytes, dirty[..bytes.Length]);
        Assert.All(dirty[bytes.Length..], b => Assert.Equal(0xFF, b));
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Frames_as_exactly_one_message(string name)
    {
        var v = TdpVectors.ValidNamed(name);
        var bytes = TdpVectors.Bytes(v);
        if (!TdpVectors.Streamable(v))
        {
            // A PNG frame (2) without a whole PNG: framing can never find its end.
            Assert.False(TdpCodec.TryGetMessageLength(bytes, out _));
            return;
        }
        Assert.True(TdpCodec.TryGetMessageLength(bytes, out var length));
        Assert.Equal(bytes.Length, length);
        Assert.True(TdpCodec.TryGetMessageLength([.. bytes, 3, 0, 0], out length));
        Assert.Equal(bytes.Length, length);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.False(TdpCodec.TryGetMessageLength(bytes.AsSpan(0, cut), out _));
        }
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Is_refused_with_a_readable_reason(string name)
    {
        var v = TdpVectors.InvalidNamed(name);
        var ex = Assert.Throws<DecodeException>(() => TdpCodec.Decode(TdpVectors.Bytes(v)));
        Assert.Contains(v.GetProperty("error").GetString()!, ex.Message, StringComparison.Ordinal);
    }
}
