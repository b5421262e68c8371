using System.Buffers.Binary;
using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// RRE encoding, [RFC 6143] 7.7.3: number-of-subrectangles u32, background-pixel-value PIXEL,
/// then per subrectangle: pixel PIXEL, x u16, y u16, width u16, height u16 (relative to the
/// rectangle, and required to lie inside it). The count is capped at the rectangle's area.
/// Consumes the header, then whole subrectangles.
/// </summary>
public sealed class RreDecoder : IRectangleDecoder
{
    private const string What = "RRE";

    private Rect _rect;
    private bool _haveHeader;
    private long _left;

    public int EncodingType => RfbEncodingType.Rre;

    public void Begin(Rect rect, RectangleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DecoderChecks.RequireInside(rect, context, "RRE rectangle");
        _rect = rect;
        _haveHeader = false;
        _left = 0;
    }

    public int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pixels = context.Pixels;
        var bpp = pixels.BytesPerPixel;
        var fb = context.Framebuffer;
        var pos = 0;
        var painted = default(Rect);
        if (!_haveHeader)
        {
            if (input.Length < 4 + bpp)
            {
                complete = false;
                return 0;
            }
            var count = BinaryPrimitives.ReadUInt32BigEndian(input);
            if (count > _rect.Area)
            {
                throw new DecodeException(What, 0, $"{count} subrectangles exceed the {_rect.Area} pixels of {_rect}");
            }
            var background = pixels.ReadPixel(input.Slice(4, bpp));
            fb.Fill(_rect, background);
            painted = _rect;
            _left = count;
            _haveHeader = true;
            pos = 4 + bpp;
        }
        var unit = bpp + 8;
        while (_left > 0 && input.Length - pos >= unit)
        {
            var colour = pixels.ReadPixel(input.Slice(pos, bpp));
            var f = input.Slice(pos + bpp, 8);
            var sx = BinaryPrimitives.ReadUInt16BigEndian(f);
            var sy = BinaryPrimitives.ReadUInt16BigEndian(f[2..]);
            var sw = BinaryPrimitives.ReadUInt16BigEndian(f[4..]);
            var sh = BinaryPrimitives.ReadUInt16BigEndian(f[6..]);
            if (sx + sw > _rect.Width || sy + sh > _rect.Height)
            {
                throw new DecodeException(What, pos, $"subrectangle {sw}x{sh}+{sx}+{sy} lies outside {_rect.Width}x{_rect.Height}");
            }
            var sub = new Rect(_rect.X + sx, _rect.Y + sy, sw, sh);
            fb.Fill(sub, colour);
            if (!sub.IsEmpty)
            {
                painted = painted.Union(sub);
            }
            pos += unit;
            _left--;
        }
        if (!painted.IsEmpty)
        {
            context.Sink.Damaged(painted);
        }
        complete = _left == 0;
        return pos;
    }

    public void Reset() => _left = 0;
}
