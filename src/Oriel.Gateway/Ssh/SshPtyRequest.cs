namespace Oriel.Gateway.Ssh;

/// <summary>A pseudo-terminal request (RFC 4254 6.2).</summary>
/// <param name="TerminalType">TERM, e.g. "xterm-256color".</param>
/// <param name="Columns">Character cells across.</param>
/// <param name="Rows">Character cells down.</param>
/// <param name="WidthPx">Pixels across, 0 when not known.</param>
/// <param name="HeightPx">Pixels down, 0 when not known.</param>
public sealed record SshPtyRequest(string TerminalType, int Columns, int Rows, int WidthPx, int HeightPx)
{
    /// <summary>
    /// Encoded terminal modes (RFC 4254 8: opcode, uint32 value); null means Oriel's defaults (UTF-8 input, erase is
    /// DEL, signals on, echo on, 38400 baud).
    /// </summary>
    public IReadOnlyDictionary<byte, uint>? Modes { get; init; }
}
