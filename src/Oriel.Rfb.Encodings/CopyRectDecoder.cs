using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// CopyRect encoding, [RFC 6143] 7.7.2: src-x-position u16, src-y-position u16. The source
/// rectangle (same size as the destination) must lie inside the framebuffer.
/// </summary>
public sealed class CopyRectDecoder : IRectangleDecoder
{
    /// <summary>Payload size in bytes.</summary>
    public const int PayloadSize = 4;

    private Rect _rect;

    public int EncodingType => RfbEncodingType.CopyRect;

    public void Begin(Rect rect, RectangleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DecoderChecks.RequireInside(rect, context, "CopyRect rectangle");
        _rect = rect;
    }

    public int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (input.Length < PayloadSize)
        {
            complete = false;
            return 0;
        }
        var r = new SpanReader(input[..PayloadSize], "CopyRect");
        var sx = r.ReadUInt16("src-x-position");
        var sy = r.ReadUInt16("src-y-position");
        var source = new Rect(sx, sy, _rect.Width, _rect.Height);
        if (!context.Framebuffer.Contains(source))
        {
            throw new DecodeException("CopyRect", 0, $"source {source} lies outside the {context.Framebuffer.Width}x{context.Framebuffer.Height} framebuffer");
        }
        if (!_rect.IsEmpty)
        {
            context.Framebuffer.CopyRect(source, _rect.X, _rect.Y);
            context.Sink.Copied(source, _rect.X, _rect.Y);
        }
        complete = true;
        return PayloadSize;
    }

    public void Reset()
    {
    }
}
