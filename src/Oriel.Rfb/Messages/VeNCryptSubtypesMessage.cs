using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// The server's VeNCrypt subtypes, rfbproto "VeNCrypt" (version 0.2): subtypes-length u8,
/// subtypes u32[n]. The subtype numbers are <see cref="RfbVeNCryptSubtype"/> values, or plain
/// RFB security types.
/// </summary>
public sealed record VeNCryptSubtypesMessage(IReadOnlyList<uint> Subtypes)
{
    public static bool TryFrame(ReadOnlySpan<byte> input, out int length)
    {
        length = 0;
        if (input.Length < 1) return false;
        length = 1 + 4 * input[0];
        return input.Length >= length;
    }

    public static VeNCryptSubtypesMessage Decode(ref SpanReader reader)
    {
        var n = reader.ReadByte("subtypes-length");
        var list = new uint[n];
        for (var i = 0; i < n; i++) list[i] = reader.ReadUInt32("subtype");
        return new VeNCryptSubtypesMessage(list);
    }

    public int Size => 1 + 4 * Subtypes.Count;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(checked((byte)Subtypes.Count));
        foreach (var s in Subtypes) writer.WriteUInt32(s);
    }
}
