namespace Oriel.Rfb.Encodings;

/// <summary>
/// Encoding-type numbers sent in SetEncodings and in rectangle headers: [RFC 6143] 7.7 for the
/// encodings, the community RFB specification (rfbproto, "Encodings" and "Pseudo-encodings") for
/// Tight, TightPNG and the pseudo-encodings.
/// </summary>
public static class RfbEncodingType
{
    public const int Raw = 0;
    public const int CopyRect = 1;
    public const int Rre = 2;
    public const int Hextile = 5;
    public const int Tight = 7;
    public const int Trle = 15;
    public const int Zrle = 16;
    public const int TightPng = -260;

    /// <summary>JPEG quality level 0 (lowest); levels 1..9 are -31..-23.</summary>
    public const int QualityLevel0 = -32;
    public const int QualityLevel9 = -23;

    /// <summary>Compression level 0 (none); levels 1..9 are -255..-247.</summary>
    public const int CompressLevel0 = -256;
    public const int CompressLevel9 = -247;

    public const int DesktopSize = -223;
    public const int LastRect = -224;
    public const int Cursor = -239;
    public const int XCursor = -240;
    public const int ExtendedDesktopSize = -308;
    public const int Fence = -312;
    public const int ContinuousUpdates = -313;

    /// <summary>Extended clipboard pseudo-encoding 0xC0A1E5CE, as a signed 32-bit number.</summary>
    public const int ExtendedClipboard = unchecked((int)0xC0A1E5CE);

    /// <summary>The quality-level pseudo-encoding for <paramref name="level"/> 0..9.</summary>
    public static int QualityLevel(int level) => QualityLevel0 + Math.Clamp(level, 0, 9);

    /// <summary>The compression-level pseudo-encoding for <paramref name="level"/> 0..9.</summary>
    public static int CompressLevel(int level) => CompressLevel0 + Math.Clamp(level, 0, 9);
}
