namespace Oriel.Graphics;

/// <summary>PNG row filter choice (PNG specification, 3rd edition, section 9: filter method 0).</summary>
public enum PngFilter
{
    /// <summary>Type 0: bytes as they are.</summary>
    None = 0,

    /// <summary>Type 1: difference from the pixel to the left.</summary>
    Sub = 1,

    /// <summary>Type 2: difference from the pixel above.</summary>
    Up = 2,

    /// <summary>Type 3: difference from the mean of left and above.</summary>
    Average = 3,

    /// <summary>Type 4: difference from the Paeth predictor of left, above and upper-left.</summary>
    Paeth = 4,

    /// <summary>Per row, the type whose output has the minimum sum of absolute (signed) differences.</summary>
    Adaptive = 5,
}
