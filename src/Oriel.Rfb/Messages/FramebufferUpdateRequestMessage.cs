using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// FramebufferUpdateRequest, [RFC 6143] 7.5.3: message-type u8 = 3, incremental u8,
/// x-position u16, y-position u16, width u16, height u16. 10 bytes.
/// </summary>
public readonly record struct FramebufferUpdateRequestMessage(bool Incremental, ushort X, ushort Y, ushort Width, ushort Height) : IRfbClientMessage
{
    public const int Length = 10;

    public int Size => Length;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.FramebufferUpdateRequest);
        writer.WriteBool(Incremental);
        writer.WriteUInt16(X);
        writer.WriteUInt16(Y);
        writer.WriteUInt16(Width);
        writer.WriteUInt16(Height);
    }

    public static FramebufferUpdateRequestMessage Decode(ref SpanReader reader)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.FramebufferUpdateRequest, "FramebufferUpdateRequest");
        return new FramebufferUpdateRequestMessage(reader.ReadBool("incremental"), reader.ReadUInt16("x-position"),
            reader.ReadUInt16("y-position"), reader.ReadUInt16("width"), reader.ReadUInt16("height"));
    }
}
