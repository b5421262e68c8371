using System.Text;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 5 "keyboard input", client → server: a physical key went down or up.
/// <c>| 5 | key_code uint32 | state byte |</c>; key_code is the Windows scan code of
/// <c>KeyboardEvent.code</c> (MDN "code values on Windows"), state 0..1.
/// <see cref="ToString"/> leaves the key out: keystrokes are never logged.
/// </summary>
public sealed record KeyboardInputMessage(uint KeyCode, KeyState State) : TdpMessage
{
    /// <summary>type(1) key_code(4) state(1).</summary>
    public const int FixedSize = 6;

    public override TdpMessageType Type => TdpMessageType.KeyboardInput;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckEnum((byte)State, (byte)KeyState.Pressed, "state");
        w.WriteByte((byte)Type);
        w.WriteUInt32(KeyCode);
        w.WriteByte((byte)State);
    }

    internal static KeyboardInputMessage Decode(ref SpanReader r)
    {
        var keyCode = r.ReadUInt32("key_code");
        var state = (KeyState)TdpFields.ReadEnum(ref r, (byte)KeyState.Pressed, "state");
        return new(keyCode, state);
    }

    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("KeyCode = <redacted>, State = ").Append(State);
        return true;
    }
}
