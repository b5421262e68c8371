namespace Oriel.Graphics;

public sealed partial class PngEncoder
{
    private const int PaletteSlots = 1024; // open addressing, at most 257 keys: load factor under 26 %
    private const uint Occupied = 0xFF000000u;

    private readonly uint[] _slotKeys = new uint[PaletteSlots];
    private readonly byte[] _slotIndex = new byte[PaletteSlots];
    private readonly uint[] _palette = new uint[256];
    private byte[] _indices = [];

    /// <summary>
    /// Collects the distinct colours of <paramref name="area"/> into <see cref="_palette"/> and each
    /// pixel's palette index into <see cref="_indices"/> (row-major, stride = area width). Returns the
    /// number of colours, or -1 as soon as a 257th colour appears (photographic content bails out
    /// after a few hundred pixels). Runs of one colour skip the hash lookup.
    /// </summary>
    private int BuildPalette(Framebuffer framebuffer, Rect area)
    {
        var w = area.Width;
        var total = w * area.Height;
        if (_indices.Length < total) _indices = new byte[Math.Max(total, 4096)];
        Array.Clear(_slotKeys);
        var keys = _slotKeys;
        var slotIndex = _slotIndex;
        var count = 0;
        var lastKey = 0u; // never a real key: real keys have the Occupied bits set
        byte lastIndex = 0;
        for (var y = 0; y < area.Height; y++)
        {
            var row = framebuffer.Row(area.Y + y).Slice(area.X, w);
            var indices = _indices.AsSpan(y * w, w);
            for (var x = 0; x < row.Length; x++)
            {
                var key = row[x] | Occupied;
                if (key != lastKey)
                {
                    var slot = (int)((key * 0x9E3779B1u) >> 22);
                    while (true)
                    {
                        var k = keys[slot];
                        if (k == key)
                        {
                            lastIndex = slotIndex[slot];
                            break;
                        }
                        if (k == 0)
                        {
                            if (count == 256) return -1;
                            keys[slot] = key;
                            slotIndex[slot] = (byte)count;
                            _palette[count] = key & 0x00FFFFFFu;
                            lastIndex = (byte)count;
                            count++;
                            break;
                        }
                        slot = (slot + 1) & (PaletteSlots - 1);
                    }
                    lastKey = key;
                }
                indices[x] = lastIndex;
            }
        }
        return count;
    }

    /// <summary>Packs 8-bit indices into <paramref name="bitDepth"/>-bit samples, leftmost pixel in the high bits (PNG 3rd edition, 7.2).</summary>
    private static void PackIndices(ReadOnlySpan<byte> indices, int bitDepth, Span<byte> dst)
    {
        if (bitDepth == 8)
        {
            indices.CopyTo(dst);
            return;
        }
        var perByte = 8 / bitDepth;
        var n = indices.Length;
        var o = 0;
        var x = 0;
        for (; x + perByte <= n; x += perByte)
        {
            var b = 0;
            for (var k = 0; k < perByte; k++) b = (b << bitDepth) | indices[x + k];
            dst[o++] = (byte)b;
        }
        if (x < n)
        {
            var b = 0;
            var k = 0;
            for (; x < n; x++, k++) b = (b << bitDepth) | indices[x];
            dst[o] = (byte)(b << (bitDepth * (perByte - k)));
        }
    }
}
