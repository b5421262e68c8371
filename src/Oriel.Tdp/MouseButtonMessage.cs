using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 4 "mouse button", client → server.
/// <c>| 4 | button byte | state byte |</c>; button 0..2, state 0..1.
/// </summary>
public sealed record MouseButtonMessage(MouseButton Button, ButtonState State) : TdpMessage
{
    /// <summary>type(1) button(1) state(1).</summary>
    public const int FixedSize = 3;

    public override TdpMessageType Type => TdpMessageType.MouseButton;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckEnum((byte)Button, (byte)MouseButton.Right, "button");
        TdpFields.CheckEnum((byte)State, (byte)ButtonState.Pressed, "state");
        w.WriteByte((byte)Type);
        w.WriteByte((byte)Button);
        w.WriteByte((byte)State);
    }

    internal static MouseButtonMessage Decode(ref SpanReader r)
    {
        var button = (MouseButton)TdpFields.ReadEnum(ref r, (byte)MouseButton.Right, "button");
        var state = (ButtonState)TdpFields.ReadEnum(ref r, (byte)ButtonState.Pressed, "state");
        return new(button, state);
    }
}
