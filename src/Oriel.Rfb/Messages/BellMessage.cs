using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>Bell, [RFC 6143] 7.6.3: message-type u8 = 2, nothing else.</summary>
public readonly record struct BellMessage
{
    public const int Length = 1;

    public int Size => Length;

    public static BellMessage Decode(ref SpanReader reader)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.Bell, "Bell");
        return default;
    }

    public void Encode(ref SpanWriter writer) => writer.WriteByte(RfbMessageType.Bell);
}
