using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// FramebufferUpdate header, [RFC 6143] 7.6.1: message-type u8 = 0, padding 1,
/// number-of-rectangles u16; the rectangles (<see cref="RectangleHeader"/> plus encoded data)
/// follow. With the LastRect pseudo-encoding the count is 65535 and a LastRect rectangle ends the update.
/// </summary>
public readonly record struct FramebufferUpdateMessage(ushort RectangleCount)
{
    public const int Length = 4;

    public static FramebufferUpdateMessage Decode(ref SpanReader reader)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.FramebufferUpdate, "FramebufferUpdate");
        reader.Skip(1);
        return new FramebufferUpdateMessage(reader.ReadUInt16("number-of-rectangles"));
    }

    public int Size => Length;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.FramebufferUpdate);
        writer.WriteZeros(1);
        writer.WriteUInt16(RectangleCount);
    }
}
