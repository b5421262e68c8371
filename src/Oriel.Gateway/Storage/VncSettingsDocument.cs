namespace Oriel.Gateway.Storage;

/// <summary>The stored JSON of <see cref="VncTargetSettings"/>, format version 1 (written by migration 0007 too).</summary>
internal sealed class VncSettingsDocument
{
    /// <summary>Format version.</summary>
    public int V { get; set; }

    /// <summary>Security type names in preference order.</summary>
    public List<string>? Security { get; set; }

    /// <summary>"system", "pinned" or "insecure".</summary>
    public string? Tls { get; set; }

    /// <summary>Lowercase hex SHA-256 of the server certificate when pinned.</summary>
    public string? TlsPin { get; set; }

    /// <summary>Tight JPEG quality 0-9, or null for lossless.</summary>
    public int? JpegQuality { get; set; }

    /// <summary>Withhold the passthrough viewer's JPEG quality levels.</summary>
    public bool PassthroughLossless { get; set; }
}
