using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 1 "client screen spec", client → server: the size of the browser's drawing area.
/// Second message of the handshake, then again on every resize.
/// <c>| 1 | width uint32 | height uint32 |</c>; each side 1..<see cref="TdpLimits.MaxScreenSide"/>.
/// </summary>
public sealed record ClientScreenSpecMessage(uint Width, uint Height) : TdpMessage
{
    /// <summary>type(1) width(4) height(4).</summary>
    public const int FixedSize = 9;

    public override TdpMessageType Type => TdpMessageType.ClientScreenSpec;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckScreenSide(Width, "width");
        TdpFields.CheckScreenSide(Height, "height");
        w.WriteByte((byte)Type);
        w.WriteUInt32(Width);
        w.WriteUInt32(Height);
    }

    internal static ClientScreenSpecMessage Decode(ref SpanReader r)
    {
        var width = TdpFields.ReadScreenSide(ref r, "width");
        var height = TdpFields.ReadScreenSide(ref r, "height");
        return new(width, height);
    }
}
