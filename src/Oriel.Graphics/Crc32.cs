namespace Oriel.Graphics;

/// <summary>
/// CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42: reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF; PNG specification, 3rd edition, section 5.5 and annex D). Table-driven,
/// slicing by four.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320u;

    private static readonly uint[] Table = BuildTable();

    /// <summary>CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));

    /// <summary>The register value before any byte.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>The CRC from a register value.</summary>
    public static uint Finish(uint register) => register ^ 0xFFFFFFFFu;

    /// <summary>Feeds <paramref name="data"/> into the running <paramref name="register"/>.</summary>
    public static uint Update(uint register, ReadOnlySpan<byte> data)
    {
        var t = Table;
        var c = register;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            c ^= (uint)(data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
            c = t[768 + (int)(c & 0xFF)] ^ t[512 + (int)((c >> 8) & 0xFF)] ^ t[256 + (int)((c >> 16) & 0xFF)] ^ t[(int)(c >> 24)];
        }
        for (; i < data.Length; i++)
        {
            c = t[(int)((c ^ data[i]) & 0xFF)] ^ (c >> 8);
        }
        return c;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[1024];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }
            t[n] = c;
        }
        // Slice k: the CRC of byte n followed by k zero bytes.
        for (var n = 0; n < 256; n++)
        {
            for (var k = 1; k < 4; k++)
            {
                var prev = t[((k - 1) * 256) + n];
                t[(k * 256) + n] = t[(int)(prev & 0xFF)] ^ (prev >> 8);
            }
        }
        return t;
    }
}
