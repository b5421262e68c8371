namespace Oriel.Graphics;

/// <summary>The image format of an <see cref="EncodedTile"/>.</summary>
public enum EncodedTileFormat
{
    /// <summary>A complete PNG file: exact pixels (TDP 27).</summary>
    Png,

    /// <summary>A complete baseline JPEG (JFIF) file: approximate pixels, refined to PNG later (TDP 106).</summary>
    Jpeg,
}
