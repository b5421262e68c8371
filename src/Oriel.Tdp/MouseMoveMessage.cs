using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 3 "mouse move", client → server: new pointer coordinates in desktop pixels.
/// <c>| 3 | x uint32 | y uint32 |</c>.
/// </summary>
public sealed record MouseMoveMessage(uint X, uint Y) : TdpMessage
{
    /// <summary>type(1) x(4) y(4).</summary>
    public const int FixedSize = 9;

    public override TdpMessageType Type => TdpMessageType.MouseMove;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        w.WriteByte((byte)Type);
        w.WriteUInt32(X);
        w.WriteUInt32(Y);
    }

    internal static MouseMoveMessage Decode(ref SpanReader r)
    {
        var x = r.ReadUInt32("x");
        var y = r.ReadUInt32("y");
        return new(x, y);
    }
}
