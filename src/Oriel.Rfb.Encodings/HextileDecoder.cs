using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// Hextile encoding, [RFC 6143] 7.7.4: 16x16 tiles left to right, top to bottom. Each tile has a
/// subencoding mask: Raw (1: raw pixels, other bits ignored), BackgroundSpecified (2),
/// ForegroundSpecified (4), AnySubrects (8: a count u8 follows) and SubrectsColoured (16: each
/// subrectangle starts with its pixel). A subrectangle is x&lt;&lt;4|y then (w-1)&lt;&lt;4|(h-1),
/// and must lie inside its tile. Background and foreground carry over between tiles of one
/// rectangle. Consumes whole tiles only.
/// </summary>
public sealed class HextileDecoder : IRectangleDecoder
{
    private const int TileSide = 16;
    private const int Raw = 1;
    private const int BackgroundSpecified = 2;
    private const int ForegroundSpecified = 4;
    private const int AnySubrects = 8;
    private const int SubrectsColoured = 16;
    private const string What = "Hextile";

    private TileCursor _tiles;
    private uint _background;
    private uint _foreground;

    public int EncodingType => RfbEncodingType.Hextile;

    public void Begin(Rect rect, RectangleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DecoderChecks.RequireInside(rect, context, "Hextile rectangle");
        _tiles = new TileCursor(rect, TileSide);
        _background = 0;
        _foreground = 0;
    }

    public int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pixels = context.Pixels;
        var bpp = pixels.BytesPerPixel;
        var fb = context.Framebuffer;
        var pos = 0;
        var painted = default(Rect);
        while (!_tiles.IsDone)
        {
            var tile = _tiles.Current;
            var used = DecodeTile(input[pos..], pos, tile, pixels, bpp, fb);
            if (used < 0)
            {
                break;
            }
            pos += used;
            painted = painted.Union(tile);
            _tiles.Advance();
        }
        if (!painted.IsEmpty)
        {
            context.Sink.Damaged(painted);
        }
        complete = _tiles.IsDone;
        return pos;
    }

    /// <summary>Decodes one tile if all its bytes are present; returns the bytes used or -1.</summary>
    private int DecodeTile(ReadOnlySpan<byte> src, int offset, Rect tile, PixelConverter pixels, int bpp, Framebuffer fb)
    {
        if (src.Length < 1)
        {
            return -1;
        }
        int mask = src[0];
        if (mask > 0x1F)
        {
            throw new DecodeException(What, offset, $"subencoding mask 0x{mask:X2} has undefined bits");
        }
        if ((mask & Raw) != 0)
        {
            var rowBytes = tile.Width * bpp;
            var need = 1 + rowBytes * tile.Height;
            if (src.Length < need)
            {
                return -1;
            }
            for (var y = 0; y < tile.Height; y++)
            {
                pixels.ConvertRow(src.Slice(1 + y * rowBytes, rowBytes), fb.Row(tile.Y + y).Slice(tile.X, tile.Width));
            }
            return need;
        }

        // Measure the tile before touching any state.
        var pos = 1;
        var bgAt = -1;
        var fgAt = -1;
        if ((mask & BackgroundSpecified) != 0)
        {
            bgAt = pos;
            pos += bpp;
        }
        if ((mask & ForegroundSpecified) != 0)
        {
            fgAt = pos;
            pos += bpp;
        }
        var count = 0;
        var coloured = (mask & SubrectsColoured) != 0;
        var subrectSize = coloured ? bpp + 2 : 2;
        if ((mask & AnySubrects) != 0)
        {
            if (src.Length < pos + 1)
            {
                return -1;
            }
            count = src[pos];
            pos++;
        }
        var need2 = pos + count * subrectSize;
        if (src.Length < need2)
        {
            return -1;
        }

        if (bgAt >= 0)
        {
            _background = pixels.ReadPixel(src.Slice(bgAt, bpp));
        }
        if (fgAt >= 0)
        {
            _foreground = pixels.ReadPixel(src.Slice(fgAt, bpp));
        }
        fb.Fill(tile, _background);
        for (var i = 0; i < count; i++)
        {
            var colour = _foreground;
            if (coloured)
            {
                colour = pixels.ReadPixel(src.Slice(pos, bpp));
                pos += bpp;
            }
            int xy = src[pos];
            int wh = src[pos + 1];
            var sx = xy >> 4;
            var sy = xy & 0xF;
            var sw = (wh >> 4) + 1;
            var sh = (wh & 0xF) + 1;
            if (sx + sw > tile.Width || sy + sh > tile.Height)
            {
                throw new DecodeException(What, offset + pos, $"subrectangle {sw}x{sh}+{sx}+{sy} lies outside the {tile.Width}x{tile.Height} tile");
            }
            pos += 2;
            if (sh == 1 && sw == 1)
            {
                fb.At(tile.X + sx, tile.Y + sy) = colour;
            }
            else
            {
                fb.Fill(new Rect(tile.X + sx, tile.Y + sy, sw, sh), colour);
            }
        }
        return pos;
    }

    public void Reset() => _tiles.Finish();
}
