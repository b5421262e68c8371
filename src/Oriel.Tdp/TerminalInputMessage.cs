using System.Text;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 109 "terminal input" (docs/tdp.md), client → server: bytes the user typed or pasted,
/// for the remote terminal's input, exactly as the browser's terminal emulator produced them.
/// <c>| 109 | length uint32 | data []byte |</c>; at most <see cref="TdpLimits.MaxTerminalInputBytes"/>
/// (a longer paste is split over several messages). Not checked as UTF-8: a terminal may send any byte.
/// <see cref="ToString"/> shows only the length: keystrokes are never logged.
/// </summary>
public sealed record TerminalInputMessage(byte[] Data) : TdpMessage
{
    /// <summary>type(1) length(4).</summary>
    public const int HeaderSize = 5;

    public override TdpMessageType Type => TdpMessageType.TerminalInput;

    public override int Size => HeaderSize + Data.Length;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(Data.Length, TdpLimits.MaxTerminalInputBytes, "length");
        w.WriteByte((byte)Type);
        w.WriteUInt32((uint)Data.Length);
        w.WriteBytes(Data);
    }

    internal static TerminalInputMessage Decode(ref SpanReader r)
    {
        var length = r.ReadLength32(TdpLimits.MaxTerminalInputBytes, "length");
        return new(r.ReadSpan(length, "data").ToArray());
    }

    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Length = ").Append(Data.Length);
        return true;
    }
}
