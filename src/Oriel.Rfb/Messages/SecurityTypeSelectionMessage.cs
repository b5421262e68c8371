using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>The client's choice of security type, [RFC 6143] 7.1.2 (versions 3.7 and 3.8): security-type u8.</summary>
public readonly record struct SecurityTypeSelectionMessage(byte Type) : IRfbClientMessage
{
    public int Size => 1;

    public void Encode(ref SpanWriter writer) => writer.WriteByte(Type);

    public static SecurityTypeSelectionMessage Decode(ref SpanReader reader) => new(reader.ReadByte("security-type"));
}
