using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// SetEncodings, [RFC 6143] 7.5.2: message-type u8 = 2, padding 1, number-of-encodings u16,
/// encoding-types s32[n], most preferred first.
/// </summary>
public sealed record SetEncodingsMessage(IReadOnlyList<int> Encodings) : IRfbClientMessage
{
    public int Size => 4 + 4 * Encodings.Count;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.SetEncodings);
        writer.WriteZeros(1);
        writer.WriteUInt16(checked((ushort)Encodings.Count));
        foreach (var e in Encodings) writer.WriteInt32(e);
    }

    public static SetEncodingsMessage Decode(ref SpanReader reader)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.SetEncodings, "SetEncodings");
        reader.Skip(1);
        var n = reader.ReadUInt16("number-of-encodings");
        if (reader.Remaining < 4 * n) throw reader.Error("truncated encoding list");
        var list = new int[n];
        for (var i = 0; i < n; i++) list[i] = reader.ReadInt32("encoding-type");
        return new SetEncodingsMessage(list);
    }
}
