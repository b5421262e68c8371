using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// PointerEvent, [RFC 6143] 7.5.5: message-type u8 = 5, button-mask u8, x-position u16,
/// y-position u16. 6 bytes. Mask bits: 0 left, 1 middle, 2 right, 3/4 wheel up/down,
/// 5/6 wheel left/right.
/// </summary>
public readonly record struct PointerEventMessage(byte ButtonMask, ushort X, ushort Y) : IRfbClientMessage
{
    public const int Length = 6;

    public int Size => Length;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.PointerEvent);
        writer.WriteByte(ButtonMask);
        writer.WriteUInt16(X);
        writer.WriteUInt16(Y);
    }

    public static PointerEventMessage Decode(ref SpanReader reader)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.PointerEvent, "PointerEvent");
        return new PointerEventMessage(reader.ReadByte("button-mask"), reader.ReadUInt16("x-position"), reader.ReadUInt16("y-position"));
    }
}
