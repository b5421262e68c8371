using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 110 "terminal resize" (docs/tdp.md), client → server: the browser's terminal now has
/// this many character cells, and optionally this size in pixels (0 = not known, as in SSH's
/// window-change request, RFC 4254 section 6.7).
/// <c>| 110 | columns uint16 | rows uint16 | width_px uint16 | height_px uint16 |</c>.
/// Columns and rows are 1..<see cref="TdpLimits.MaxTerminalCells"/>; pixels 0..<see cref="TdpLimits.MaxScreenSide"/>.
/// </summary>
public sealed record TerminalResizeMessage(ushort Columns, ushort Rows, ushort WidthPixels = 0, ushort HeightPixels = 0) : TdpMessage
{
    /// <summary>type(1) columns(2) rows(2) width_px(2) height_px(2).</summary>
    public const int FixedSize = 9;

    public override TdpMessageType Type => TdpMessageType.TerminalResize;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckRange(Columns, 1, TdpLimits.MaxTerminalCells, "columns");
        TdpFields.CheckRange(Rows, 1, TdpLimits.MaxTerminalCells, "rows");
        TdpFields.CheckRange(WidthPixels, 0, TdpLimits.MaxScreenSide, "width_px");
        TdpFields.CheckRange(HeightPixels, 0, TdpLimits.MaxScreenSide, "height_px");
        w.WriteByte((byte)Type);
        w.WriteUInt16(Columns);
        w.WriteUInt16(Rows);
        w.WriteUInt16(WidthPixels);
        w.WriteUInt16(HeightPixels);
    }

    internal static TerminalResizeMessage Decode(ref SpanReader r)
    {
        var columns = TdpFields.ReadRange16(ref r, 1, TdpLimits.MaxTerminalCells, "columns");
        var rows = TdpFields.ReadRange16(ref r, 1, TdpLimits.MaxTerminalCells, "rows");
        var width = TdpFields.ReadRange16(ref r, 0, TdpLimits.MaxScreenSide, "width_px");
        var height = TdpFields.ReadRange16(ref r, 0, TdpLimits.MaxScreenSide, "height_px");
        return new(columns, rows, width, height);
    }
}
