namespace Oriel.Rfb;

/// <summary>How an <see cref="RfbClient"/> connects: credentials, security policy, encodings, limits.</summary>
public sealed class RfbClientOptions
{
    /// <summary>VNC Authentication password (its first 8 UTF-8 bytes are the DES key) and VeNCrypt Plain password.</summary>
    public string? Password { get; init; }

    /// <summary>VeNCrypt Plain user name.</summary>
    public string? Username { get; init; }

    /// <summary>ClientInit shared-flag ([RFC 6143] 7.3.1): true leaves other viewers connected.</summary>
    public bool Shared { get; init; } = true;

    /// <summary>SetEncodings list, most preferred first; null means the decoders' default preference plus the pseudo-encodings the engine handles.</summary>
    public IReadOnlyList<int>? Encodings { get; init; }

    /// <summary>
    /// Lossy JPEG for photo-like screen areas: null (the default) keeps the desktop lossless; 0-9 adds
    /// the JPEG quality-level pseudo-encoding -32 + level (rfbproto "JPEG Quality Level
    /// Pseudo-encoding") and compression level <see cref="JpegCompressLevel"/> to the default SetEncodings
    /// list, so a Tight server may send JpegCompression rectangles. Ignored when <see cref="Encodings"/>
    /// is given (that list is sent as is), and when <see cref="Jpeg"/> is null (the session stays lossless).
    /// </summary>
    public int? JpegQuality { get; init; }

    /// <summary>
    /// Decodes Tight JpegCompression rectangles: the host provides it (the core loads no native code;
    /// see <see cref="Oriel.Graphics.Jpeg.IJpegLibrary"/>). Not owned by the engine and used from its
    /// thread only. Null: no JPEG is asked for, and a JPEG rectangle the server sends anyway is a
    /// <see cref="Oriel.Wire.DecodeException"/>.
    /// </summary>
    public Oriel.Graphics.Jpeg.JpegCodec? Jpeg { get; init; }

    /// <summary>The compression level sent with <see cref="JpegQuality"/> (TigerVNC's default).</summary>
    public const int JpegCompressLevel = 2;

    /// <summary>Which security types are acceptable.</summary>
    public RfbSecurityPolicy Security { get; init; } = RfbSecurityPolicy.Default;

    /// <summary>Cap on clipboard text in either direction. A ServerCutText body may be this long (Latin-1) or 1 KiB longer (Extended Clipboard, compressed); longer is a DecodeException.</summary>
    public int MaxClipboardBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Stop after a successful security handshake ([RFC 6143] 7.1.3; for None in 3.3/3.7, right after the
    /// security type): the engine enters <see cref="RfbPhase.Authenticated"/>, emits <see cref="RfbAuthenticated"/>
    /// and sends no ClientInit. Bytes the server sends after that are kept for the caller
    /// (<see cref="RfbClient.TakeUnprocessedInput"/>). For a gateway that authenticates with stored
    /// credentials and then relays the rest of the stream.
    /// </summary>
    public bool StopAfterSecurity { get; init; }
}
