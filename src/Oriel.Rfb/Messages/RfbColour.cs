namespace Oriel.Rfb.Messages;

/// <summary>One colour-map entry, [RFC 6143] 7.6.2: red u16, green u16, blue u16 (0..65535 each).</summary>
public readonly record struct RfbColour(ushort Red, ushort Green, ushort Blue)
{
    /// <summary>As a framebuffer pixel 0x00RRGGBB (top byte of each component).</summary>
    public uint ToRgb() => (uint)((Red >> 8) << 16 | (Green >> 8) << 8 | (Blue >> 8));
}
