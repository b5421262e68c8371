using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>KeyEvent, [RFC 6143] 7.5.4: message-type u8 = 4, down-flag u8, padding 2, key u32 (an X keysym). 8 bytes.</summary>
public readonly record struct KeyEventMessage(bool Down, uint Key) : IRfbClientMessage
{
    public const int Length = 8;

    public int Size => Length;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.KeyEvent);
        writer.WriteBool(Down);
        writer.WriteZeros(2);
        writer.WriteUInt32(Key);
    }

    public static KeyEventMessage Decode(ref SpanReader reader)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.KeyEvent, "KeyEvent");
        var down = reader.ReadBool("down-flag");
        reader.Skip(2);
        return new KeyEventMessage(down, reader.ReadUInt32("key"));
    }

    public override string ToString() => $"KeyEventMessage {{ Down = {Down} }}"; // never log keysyms
}
