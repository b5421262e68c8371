using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// SetColourMapEntries, [RFC 6143] 7.6.2: message-type u8 = 1, padding 1, first-colour u16,
/// number-of-colours u16, then number-of-colours × (red u16, green u16, blue u16).
/// </summary>
public sealed record SetColourMapEntriesMessage(ushort FirstColour, IReadOnlyList<RfbColour> Colours)
{
    public const int HeaderLength = 6;

    public static bool TryFrame(ReadOnlySpan<byte> input, out int length)
    {
        length = 0;
        if (input.Length < HeaderLength) return false;
        length = HeaderLength + 6 * System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(input[4..]);
        return input.Length >= length;
    }

    public static SetColourMapEntriesMessage Decode(ref SpanReader reader)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.SetColourMapEntries, "SetColourMapEntries");
        reader.Skip(1);
        var first = reader.ReadUInt16("first-colour");
        var n = reader.ReadUInt16("number-of-colours");
        if (reader.Remaining < 6 * n) throw reader.Error("truncated colour list");
        var colours = new RfbColour[n];
        for (var i = 0; i < n; i++)
        {
            colours[i] = new RfbColour(reader.ReadUInt16("red"), reader.ReadUInt16("green"), reader.ReadUInt16("blue"));
        }
        return new SetColourMapEntriesMessage(first, colours);
    }

    public int Size => HeaderLength + 6 * Colours.Count;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.SetColourMapEntries);
        writer.WriteZeros(1);
        writer.WriteUInt16(FirstColour);
        writer.WriteUInt16(checked((ushort)Colours.Count));
        foreach (var c in Colours)
        {
            writer.WriteUInt16(c.Red);
            writer.WriteUInt16(c.Green);
            writer.WriteUInt16(c.Blue);
        }
    }
}
