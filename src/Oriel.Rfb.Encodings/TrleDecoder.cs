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
    private Rect _rect;
    private CompactPixel _cpixel;
    private int _paletteSize;
    private int _tx;
    private int _ty;

    public int EncodingType => RfbEncodingType.Trle;

    public void Begin(Rect rect, RectangleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DecoderChecks.RequireInside(rect, context, "TRLE rectangle");
        _rect = rect;
        _cpixel = CompactPixel.ForCPixel(context.Pixels);
        _paletteSize = 0;
        _tx = 0;
        _ty = rect.IsEmpty ? rect.Height : 0;
    }

    public int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fb = context.Framebuffer;
        var pos = 0;
        var painted = default(Rect);
        while (_ty < _rect.Height)
        {
            var tw = Math.Min(TileSide, _rect.Width - _tx);
            var th = Math.Min(TileSide, _rect.Height - _ty);
            var tile = new Rect(_rect.X + _tx, _rect.Y + _ty, tw, th);
            var used = RleTile.Decode(input[pos..], fb, tile, _cpixel, _palette, ref _paletteSize, trle: true, What);
            if (used < 0)
            {
                // The tile may be partly drawn; it is drawn again, whole, when its bytes are here.
                break;
            }
            pos += used;
            painted = painted.Union(tile);
            _tx += TileSide;
            if (_tx >= _rect.Width)
            {
                _tx = 0;
                _ty += TileSide;
            }
        }
        if (!painted.IsEmpty)
        {
            context.Sink.Damaged(painted);
        }
        complete = _ty >= _rect.Height;
        return pos;
    }

    public void Reset() => _ty = _rect.Height;
}
