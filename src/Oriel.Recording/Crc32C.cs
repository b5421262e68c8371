namespace Oriel.Recording;

/// <summary>
/// CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF),
/// as used by iSCSI (RFC 3720 B.4) and SCTP (RFC 4960 appendix B). The check value of the ASCII
/// string "123456789" is 0xE3069283. Table-driven, eight bytes per step ("slicing by 8").
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;

    /// <summary>Eight 256-entry tables: table k maps a byte to its CRC contribution k bytes further back.</summary>
    private static readonly uint[] s_table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Continues a CRC: <c>Append(Compute(a), b) == Compute(a + b)</c>. Start with 0.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var t = s_table;
        var c = ~crc;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var lo = c ^ (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
            c = t[(7 * 256) + (lo & 0xFF)]
                ^ t[(6 * 256) + ((lo >> 8) & 0xFF)]
                ^ t[(5 * 256) + ((lo >> 16) & 0xFF)]
                ^ t[(4 * 256) + (lo >> 24)]
                ^ t[(3 * 256) + data[i + 4]]
                ^ t[(2 * 256) + data[i + 5]]
                ^ t[256 + data[i + 6]]
                ^ t[data[i + 7]];
        }
        for (; i < data.Length; i++)
        {
            c = t[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        }
        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }
            table[n] = c;
        }
        for (var n = 0; n < 256; n++)
        {
            for (var k = 1; k < 8; k++)
            {
                var prev = table[((k - 1) * 256) + n];
                table[(k * 256) + n] = (prev >> 8) ^ table[prev & 0xFF];
            }
        }
        return table;
    }
}
