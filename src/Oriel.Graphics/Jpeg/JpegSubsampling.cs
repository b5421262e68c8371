namespace Oriel.Graphics.Jpeg;

/// <summary>Chroma subsampling of an encoded JPEG (values are TurboJPEG's TJSAMP_* numbers, which the libjpeg-turbo binding passes on as they are).</summary>
public enum JpegSubsampling
{
    /// <summary>4:4:4, no chroma subsampling: sharpest colour edges, largest output.</summary>
    Chroma444 = 0,

    /// <summary>4:2:2, chroma halved horizontally.</summary>
    Chroma422 = 1,

    /// <summary>4:2:0, chroma halved in both directions: the default for photo-like content.</summary>
    Chroma420 = 2,

    /// <summary>Luminance only.</summary>
    Gray = 3,
}
