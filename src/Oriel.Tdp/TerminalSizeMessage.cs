using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 113 "terminal size" (docs/tdp.md), server → client: the watched terminal now has this many
/// character cells. Sent to a live-view watcher of a terminal session before the screen's output and again on every
/// resize of the watched user's terminal, so the watcher's emulator lays out the same output the same way.
/// <c>| 113 | columns uint16 | rows uint16 |</c>; columns and rows are 1..<see cref="TdpLimits.MaxTerminalCells"/>,
/// as in terminal resize (110).
/// </summary>
public sealed record TerminalSizeMessage(ushort Columns, ushort Rows) : TdpMessage
{
    /// <summary>type(1) columns(2) rows(2).</summary>
    public const int FixedSize = 5;

    public override TdpMessageType Type => TdpMessageType.TerminalSize;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckRange(Columns, 1, TdpLimits.MaxTerminalCells, "columns");
        TdpFields.CheckRange(Rows, 1, TdpLimits.MaxTerminalCells, "rows");
        w.WriteByte((byte)Type);
        w.WriteUInt16(Columns);
        w.WriteUInt16(Rows);
    }

    internal static TerminalSizeMessage Decode(ref SpanReader r)
    {
        var columns = TdpFields.ReadRange16(ref r, 1, TdpLimits.MaxTerminalCells, "columns");
        var rows = TdpFields.ReadRange16(ref r, 1, TdpLimits.MaxTerminalCells, "rows");
        return new(columns, rows);
    }
}
