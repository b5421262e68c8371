using Oriel.Rfb.Encodings;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// SetDesktopSize, rfbproto "SetDesktopSize": message-type u8 = 251, padding 1, width u16,
/// height u16, number-of-screens u8, padding 1, SCREEN[n] (<see cref="DesktopScreen"/>, at most <see cref="ExtendedDesktopSizePayload.MaxScreens"/>).
/// </summary>
public sealed record SetDesktopSizeMessage(ushort Width, ushort Height, IReadOnlyList<DesktopScreen> Screens) : IRfbClientMessage
{
    public int Size => 8 + DesktopScreen.Size * Screens.Count;

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.SetDesktopSize);
        writer.WriteZeros(1);
        writer.WriteUInt16(Width);
        writer.WriteUInt16(Height);
        writer.WriteByte(checked((byte)Screens.Count));
        writer.WriteZeros(1);
        foreach (var s in Screens) s.Encode(ref writer);
    }

    public static SetDesktopSizeMessage Decode(ref SpanReader reader)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.SetDesktopSize, "SetDesktopSize");
        reader.Skip(1);
        var width = reader.ReadUInt16("width");
        var height = reader.ReadUInt16("height");
        var n = reader.ReadByte("number-of-screens");
        reader.Skip(1);
        var screens = new DesktopScreen[n];
        for (var i = 0; i < n; i++) screens[i] = DesktopScreen.Decode(ref reader);
        return new SetDesktopSizeMessage(width, height, screens);
    }
}
