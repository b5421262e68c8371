using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// One ZRLE or TRLE tile ([RFC 6143] 7.7.5 TRLE, 7.7.6 ZRLE): a subencoding byte, then raw
/// CPIXELs (0), a solid CPIXEL (1), a packed palette of 2..16 (2-16), plain RLE (128) or palette
/// RLE of 2..127 (130-255). TRLE adds 127 and 129, which reuse the previous tile's palette.
/// </summary>
internal static class RleTile
{
    /// <summary>Largest palette a tile can carry.</summary>
    public const int MaxPalette = 127;

    /// <summary>
    /// Decodes one tile into <paramref name="fb"/> at <paramref name="tile"/>. Returns the bytes it
    /// used, or -1 when <paramref name="src"/> ends before the tile does (pixels may then have been
    /// written; decoding the same tile again with more bytes gives the same result).
    /// <paramref name="paletteSize"/> is updated only when a tile carrying a palette completes.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> src, Framebuffer fb, Rect tile, CompactPixel cp, uint[] palette, ref int paletteSize, bool trle, string what)
    {
        if (src.Length < 1)
        {
            return -1;
        }
        int sub = src[0];
        var pos = 1;
        var tw = tile.Width;
        var th = tile.Height;
        var cps = cp.Size;
        switch (sub)
        {
            case 0:
            {
                var rowBytes = tw * cps;
                if (src.Length - pos < rowBytes * th)
                {
                    return -1;
                }
                for (var y = 0; y < th; y++)
                {
                    cp.ReadRow(src.Slice(pos, rowBytes), fb.Row(tile.Y + y).Slice(tile.X, tw));
                    pos += rowBytes;
                }
                return pos;
            }
            case 1:
            {
                if (src.Length - pos < cps)
                {
                    return -1;
                }
                var c = cp.Read(src.Slice(pos, cps));
                fb.Fill(tile, c);
                return pos + cps;
            }
            case >= 2 and <= 16:
            case 127:
            {
                int n;
                if (sub == 127)
                {
                    if (!trle)
                    {
                        throw new DecodeException(what, $"tile subencoding {sub} is unused");
                    }
                    n = paletteSize;
                    if (n is < 2 or > 16)
                    {
                        throw new DecodeException(what, $"tile reuses a palette of {n} colours for packed pixels");
                    }
                }
                else
                {
                    n = sub;
                    if (src.Length - pos < n * cps)
                    {
                        return -1;
                    }
                    for (var i = 0; i < n; i++)
                    {
                        palette[i] = cp.Read(src.Slice(pos, cps));
                        pos += cps;
                    }
                }
                var bits = n == 2 ? 1 : n <= 4 ? 2 : 4;
                var rowBytes = (tw * bits + 7) / 8;
                if (src.Length - pos < rowBytes * th)
                {
                    return -1;
                }
                var mask = (1 << bits) - 1;
                for (var y = 0; y < th; y++)
                {
                    var row = fb.Row(tile.Y + y).Slice(tile.X, tw);
                    var packed = src.Slice(pos, rowBytes);
                    var shift = 8 - bits;
                    var bi = 0;
                    for (var x = 0; x < tw; x++)
                    {
                        var index = (packed[bi] >> shift) & mask;
                        if (index >= n)
                        {
                            throw new DecodeException(what, $"palette index {index} beyond a palette of {n}");
                        }
                        row[x] = palette[index];
                        shift -= bits;
                        if (shift < 0)
                        {
                            shift = 8 - bits;
                            bi++;
                        }
                    }
                    pos += rowBytes;
                }
                paletteSize = n;
                return pos;
            }
            case 128:
            {
                var filled = 0;
                var total = tw * th;
                var x = 0;
                var y = 0;
                while (filled < total)
                {
                    if (src.Length - pos < cps)
                    {
                        return -1;
                    }
                    var c = cp.Read(src.Slice(pos, cps));
                    pos += cps;
                    var run = ReadRunLength(src, ref pos, total - filled, what);
                    if (run < 0)
                    {
                        return -1;
                    }
                    FillRun(fb, tile, ref x, ref y, run, c);
                    filled += run;
                }
                return pos;
            }
            case >= 129:
            {
                int n;
                if (sub == 129)
                {
                    if (!trle)
                    {
                        throw new DecodeException(what, $"tile subencoding {sub} is unused");
                    }
                    n = paletteSize;
                    if (n < 1)
                    {
                        throw new DecodeException(what, "tile reuses a palette when there is none");
                    }
                }
                else
                {
                    n = sub - 128;
                    if (src.Length - pos < n * cps)
                    {
                        return -1;
                    }
                    for (var i = 0; i < n; i++)
                    {
                        palette[i] = cp.Read(src.Slice(pos, cps));
                        pos += cps;
                    }
                }
                var filled = 0;
                var total = tw * th;
                var x = 0;
                var y = 0;
                while (filled < total)
                {
                    if (src.Length - pos < 1)
                    {
                        return -1;
                    }
                    int b = src[pos++];
                    var index = b & 0x7F;
                    if (index >= n)
                    {
                        throw new DecodeException(what, $"palette index {index} beyond a palette of {n}");
                    }
                    var run = 1;
                    if ((b & 0x80) != 0)
                    {
                        run = ReadRunLength(src, ref pos, total - filled, what);
                        if (run < 0)
                        {
                            return -1;
                        }
                    }
                    FillRun(fb, tile, ref x, ref y, run, palette[index]);
                    filled += run;
                }
                paletteSize = n;
                return pos;
            }
            default:
                throw new DecodeException(what, $"tile subencoding {sub} is unused");
        }
    }

    /// <summary>A run length: 255-bytes then a final byte, plus one. -1 when the bytes end first.</summary>
    private static int ReadRunLength(ReadOnlySpan<byte> src, ref int pos, int left, string what)
    {
        var run = 1;
        while (true)
        {
            if (pos >= src.Length)
            {
                return -1;
            }
            int b = src[pos++];
            run += b;
            if (run > left)
            {
                throw new DecodeException(what, $"run of at least {run} pixels overruns the {left} left in the tile");
            }
            if (b != 255)
            {
                return run;
            }
        }
    }

    private static void FillRun(Framebuffer fb, Rect tile, ref int x, ref int y, int run, uint colour)
    {
        var tw = tile.Width;
        while (run > 0)
        {
            var n = Math.Min(run, tw - x);
            var row = fb.Row(tile.Y + y);
            if (n == 1)
            {
                row[tile.X + x] = colour;
            }
            else
            {
                row.Slice(tile.X + x, n).Fill(colour);
            }
            run -= n;
            x += n;
            if (x == tw)
            {
                x = 0;
                y++;
            }
        }
    }
}
