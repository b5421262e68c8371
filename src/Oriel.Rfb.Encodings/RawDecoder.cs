using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// Raw encoding, [RFC 6143] 7.7.1: width*height pixels, left to right, top to bottom.
/// Consumes whole rows; reports each batch of rows as damage.
/// </summary>
public sealed class RawDecoder : IRectangleDecoder
{
    private Rect _rect;
    private int _row;

    public int EncodingType => RfbEncodingType.Raw;

    public void Begin(Rect rect, RectangleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DecoderChecks.RequireInside(rect, context, "Raw rectangle");
        _rect = rect;
        _row = 0;
    }

    public int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_rect.IsEmpty || _row >= _rect.Height)
        {
            complete = true;
            return 0;
        }
        var pixels = context.Pixels;
        var rowBytes = _rect.Width * pixels.BytesPerPixel;
        var rows = Math.Min(_rect.Height - _row, input.Length / rowBytes);
        var fb = context.Framebuffer;
        for (var i = 0; i < rows; i++)
        {
            pixels.ConvertRow(input.Slice(i * rowBytes, rowBytes), fb.Row(_rect.Y + _row + i).Slice(_rect.X, _rect.Width));
        }
        if (rows > 0)
        {
            context.Sink.Damaged(new Rect(_rect.X, _rect.Y + _row, _rect.Width, rows));
        }
        _row += rows;
        complete = _row == _rect.Height;
        return rows * rowBytes;
    }

    public void Reset() => _row = _rect.Height;
}
