using System.Text;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 105 "keysym input" (docs/tdp.md), client → server: a key went down or up, as the X11
/// keysym the browser computed from <c>KeyboardEvent.key</c> (so dead keys and non-US layouts work),
/// plus the RFD 37 key_code of the physical key (0 if unknown) for protocols that want scan codes.
/// <c>| 105 | keysym uint32 | key_code uint32 | state byte |</c>; state 0..1.
/// <see cref="ToString"/> leaves the key out: keystrokes are never logged.
/// </summary>
public sealed record KeysymInputMessage(uint Keysym, uint KeyCode, KeyState State) : TdpMessage
{
    /// <summary>type(1) keysym(4) key_code(4) state(1).</summary>
    public const int FixedSize = 10;

    public override TdpMessageType Type => TdpMessageType.KeysymInput;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckEnum((byte)State, (byte)KeyState.Pressed, "state");
        w.WriteByte((byte)Type);
        w.WriteUInt32(Keysym);
        w.WriteUInt32(KeyCode);
        w.WriteByte((byte)State);
    }

    internal static KeysymInputMessage Decode(ref SpanReader r)
    {
        var keysym = r.ReadUInt32("keysym");
        var keyCode = r.ReadUInt32("key_code");
        var state = (KeyState)TdpFields.ReadEnum(ref r, (byte)KeyState.Pressed, "state");
        return new(keysym, keyCode, state);
    }

    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Keysym = <redacted>, KeyCode = <redacted>, State = ").Append(State);
        return true;
    }
}
