using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 8 "mouse wheel scroll", client → server.
/// <c>| 8 | axis byte | delta int16 |</c>; axis 0 vertical (positive = up), 1 horizontal
/// (positive = left); delta is a signed distance in pixels.
/// </summary>
public sealed record MouseWheelMessage(WheelAxis Axis, short Delta) : TdpMessage
{
    /// <summary>type(1) axis(1) delta(2).</summary>
    public const int FixedSize = 4;

    public override TdpMessageType Type => TdpMessageType.MouseWheel;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckEnum((byte)Axis, (byte)WheelAxis.Horizontal, "axis");
        w.WriteByte((byte)Type);
        w.WriteByte((byte)Axis);
        w.WriteInt16(Delta);
    }

    internal static MouseWheelMessage Decode(ref SpanReader r)
    {
        var axis = (WheelAxis)TdpFields.ReadEnum(ref r, (byte)WheelAxis.Horizontal, "axis");
        var delta = r.ReadInt16("delta");
        return new(axis, delta);
    }
}
