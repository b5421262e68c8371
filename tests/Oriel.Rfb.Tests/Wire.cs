using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Tests;

/// <summary>Encoding helpers for tests: any message with Size/Encode to bytes, on a dirty (0xFF-filled) buffer.</summary>
internal static class Wire
{
    public static byte[] Encode<T>(T message)
        where T : IRfbClientMessage
    {
        var buffer = new byte[message.Size + 8];
        buffer.AsSpan().Fill(0xFF);
        var w = new SpanWriter(buffer.AsSpan(0, message.Size));
        message.Encode(ref w);
        Assert.Equal(message.Size, w.Position);
        Assert.All(buffer[message.Size..], b => Assert.Equal(0xFF, b));
        return buffer[..message.Size];
    }

    public delegate void Encoder(ref SpanWriter w);

    public static byte[] Encode(int size, Encoder encode)
    {
        var buffer = new byte[size];
        buffer.AsSpan().Fill(0xFF);
        var w = new SpanWriter(buffer);
        encode(ref w);
        Assert.Equal(size, w.Position);
        return buffer;
    }
}
