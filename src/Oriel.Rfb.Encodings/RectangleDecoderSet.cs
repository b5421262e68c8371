using System.Diagnostics.CodeAnalysis;
using Oriel.Graphics.Jpeg;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// One instance of each rectangle decoder for one connection (the zlib-based decoders keep
/// per-connection stream state). The engine looks decoders up by the encoding-type number in each
/// rectangle header ([RFC 6143] 7.6.1).
/// </summary>
public sealed class RectangleDecoderSet
{
    private readonly IRectangleDecoder[] _decoders;

    /// <summary>A set without JPEG: a Tight JpegCompression rectangle is a <see cref="Oriel.Wire.DecodeException"/>.</summary>
    public RectangleDecoderSet()
        : this(null)
    {
    }

    /// <summary>
    /// A set whose Tight decoder decodes JpegCompression rectangles with <paramref name="jpeg"/>
    /// (not owned, used from this set's thread only; the host provides it); null: a JPEG rectangle is a
    /// <see cref="Oriel.Wire.DecodeException"/>.
    /// </summary>
    public RectangleDecoderSet(JpegCodec? jpeg)
    {
        _decoders =
        [
            new RawDecoder(),
            new CopyRectDecoder(),
            new RreDecoder(),
            new HextileDecoder(),
            new TightDecoder(jpeg),
            new TrleDecoder(),
            new ZrleDecoder(),
        ];
    }

    /// <summary>
    /// Encodings in the order the client should list them in SetEncodings ([RFC 6143] 7.5.2),
    /// most preferred first. Pseudo-encodings are the engine's to add.
    /// </summary>
    public static IReadOnlyList<int> DefaultPreference { get; } =
    [
        RfbEncodingType.CopyRect,
        RfbEncodingType.Tight,
        RfbEncodingType.Zrle,
        RfbEncodingType.Hextile,
        RfbEncodingType.Trle,
        RfbEncodingType.Rre,
        RfbEncodingType.Raw,
    ];

    /// <summary>Finds the decoder for <paramref name="encodingType"/>; false for unknown or pseudo-encodings.</summary>
    public bool TryGet(int encodingType, [MaybeNullWhen(false)] out IRectangleDecoder decoder)
    {
        foreach (var d in _decoders)
        {
            if (d.EncodingType == encodingType)
            {
                decoder = d;
                return true;
            }
        }
        decoder = null;
        return false;
    }

    /// <summary>Forgets all per-connection state (zlib streams); call when the connection restarts.</summary>
    public void Reset()
    {
        foreach (var d in _decoders)
        {
            d.Reset();
        }
    }
}
