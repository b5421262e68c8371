using Oriel.Graphics;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// TRLE encoding, [RFC 6143] 7.7.5: 16x16 tiles left to right, top to bottom, each as in
/// <see cref="RleTile"/> (CPIXELs; 127 and 129 reuse the previous tile's palette), not
/// compressed. Consumes whole tiles only.
/// </summary>
public sealed class TrleDecoder : IRectangleDecoder
{
    private const int TileSide = 16;
    private const string What = "TRLE";

    private readonly uint[] _palette = new uint[RleTile.MaxPalette];
    private CompactPixel _cpixel;
    private int _paletteSize;
    private TileCursor _tiles;

    public int EncodingType => RfbEncodingType.Trle;

    public void Begin(Rect rect, RectangleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DecoderChecks.RequireInside(rect, context, "TRLE rectangle");
        _cpixel = CompactPixel.ForCPixel(context.Pixels);
        _paletteSize = 0;
        _tiles = new TileCursor(rect, TileSide);
    }

    public int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fb = context.Framebuffer;
        var pos = 0;
        var painted = default(Rect);
        while (!_tiles.IsDone)
        {
            var tile = _tiles.Current;
            var used = RleTile.Decode(input[pos..], fb, tile, _cpixel, _palette, ref _paletteSize, trle: true, What);
            if (used < 0)
            {
                // The tile may be partly drawn; it is drawn again, whole, when its bytes are here.
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

    public void Reset() => _tiles.Finish();
}
