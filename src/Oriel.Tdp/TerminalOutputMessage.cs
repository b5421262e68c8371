using System.Text;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 108 "terminal output" (docs/tdp.md), server → client: the next bytes the remote
/// terminal wrote, for the browser's terminal emulator. <c>| 108 | length uint32 | data []byte |</c>;
/// at most <see cref="TdpLimits.MaxTerminalOutputBytes"/>. The data is a slice of a byte stream: it is
/// not checked as UTF-8 and may end inside a UTF-8 character or an escape sequence, which the next
/// message continues. Counts against the flow-control window acknowledged by
/// <see cref="TerminalAckMessage"/>. <see cref="ToString"/> shows only the length.
/// </summary>
public sealed record TerminalOutputMessage(byte[] Data) : TdpMessage
{
    /// <summary>type(1) length(4).</summary>
    public const int HeaderSize = 5;

    public override TdpMessageType Type => TdpMessageType.TerminalOutput;

    public override int Size => HeaderSize + Data.Length;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(Data.Length, TdpLimits.MaxTerminalOutputBytes, "length");
        w.WriteByte((byte)Type);
        w.WriteUInt32((uint)Data.Length);
        w.WriteBytes(Data);
    }

    internal static TerminalOutputMessage Decode(ref SpanReader r)
    {
        var length = r.ReadLength32(TdpLimits.MaxTerminalOutputBytes, "length");
        return new(r.ReadSpan(length, "data").ToArray());
    }

    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Length = ").Append(Data.Length);
        return true;
    }
}
