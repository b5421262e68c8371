using Oriel.Graphics;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// Decodes the payload of one FramebufferUpdate rectangle ([RFC 6143] 7.6.1) of one encoding,
/// incrementally: the engine calls <see cref="Begin"/> after reading the 12-byte rectangle header,
/// then <see cref="Decode"/> with whatever bytes it has buffered, until it reports completion.
/// A decoder consumes only whole units it can finish (a row, a tile, a complete zlib block) and
/// returns how many bytes it consumed; it must not consume a partial unit, and it must not touch
/// persistent state (zlib streams) until a unit is complete. A length-prefixed compressed block
/// is the one exception to "whole units": its bytes are copied into the decoder's own staging
/// buffer as they arrive (and reported as consumed), and the inflater runs only once the block is
/// complete, so the engine never has to buffer a whole block. It never allocates more than a
/// length field allows after checking that length against a cap; malformed data throws
/// <see cref="Oriel.Wire.DecodeException"/>.
/// </summary>
public interface IRectangleDecoder
{
    /// <summary>The encoding-type number ([RFC 6143] 7.7).</summary>
    int EncodingType { get; }

    /// <summary>Starts a rectangle. The engine has already checked it lies inside the framebuffer.</summary>
    void Begin(Rect rect, RectangleContext context);

    /// <summary>Consumes bytes; returns the count consumed. <paramref name="complete"/> is true when the rectangle is done.</summary>
    int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete);

    /// <summary>Forgets per-connection state (zlib streams) when the connection is reset.</summary>
    void Reset();
}
