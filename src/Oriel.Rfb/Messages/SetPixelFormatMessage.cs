using Oriel.Rfb.Encodings;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>SetPixelFormat, [RFC 6143] 7.5.1: message-type u8 = 0, padding 3, pixel-format PIXEL_FORMAT (16). 20 bytes.</summary>
public sealed record SetPixelFormatMessage(PixelFormat PixelFormat) : IRfbClientMessage
{
    public const int Length = 4 + PixelFormat.Size;

    public int Size => Length;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.SetPixelFormat);
        writer.WriteZeros(3);
        PixelFormat.Encode(ref writer);
    }

    public static SetPixelFormatMessage Decode(ref SpanReader reader)
    {
        Expect(ref reader, RfbMessageType.SetPixelFormat, "SetPixelFormat");
        reader.Skip(3);
        return new SetPixelFormatMessage(PixelFormat.Decode(ref reader));
    }

    internal static void Expect(ref SpanReader reader, byte type, string what)
    {
        var start = reader.Position;
        if (reader.ReadByte("message-type") != type) throw new DecodeException(what, start, $"message-type is not {type}");
    }
}
