using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>The client's chosen VeNCrypt subtype, rfbproto "VeNCrypt" (version 0.2): subtype u32.</summary>
public readonly record struct VeNCryptSubtypeSelectionMessage(uint Subtype) : IRfbClientMessage
{
    public int Size => 4;

    public void Encode(ref SpanWriter writer) => writer.WriteUInt32(Subtype);

    public static VeNCryptSubtypeSelectionMessage Decode(ref SpanReader reader) => new(reader.ReadUInt32("subtype"));
}
