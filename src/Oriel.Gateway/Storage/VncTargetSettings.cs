namespace Oriel.Gateway.Storage;

/// <summary>How the gateway reaches a VNC target.</summary>
/// <param name="Security">Allowed VNC security types in preference order (see <see cref="SecurityTypes"/>); empty means the default.</param>
/// <param name="TlsVerification">How the server certificate is checked when TLS is used.</param>
/// <param name="TlsPin">Lowercase hex SHA-256 of the server certificate when pinned.</param>
public sealed record VncTargetSettings(IReadOnlyList<string> Security, TlsVerification TlsVerification, string? TlsPin) : TargetSettings
{
    /// <summary>The protocol name these settings are registered under.</summary>
    public const string ProtocolName = "vnc";

    /// <summary>
    /// VNC security type names: RFB "none" and "vnc" (RFC 6143 7.2), and the VeNCrypt subtypes
    /// (anonymous TLS: tls*, certificate TLS: x509*; each with none, vnc or plain inner authentication).
    /// </summary>
    public static readonly IReadOnlyList<string> SecurityTypes =
        ["none", "vnc", "plain", "tlsnone", "tlsvnc", "tlsplain", "x509none", "x509vnc", "x509plain"];

    /// <summary>The default when a VNC target names none: certificate TLS first, then plain VNC auth.</summary>
    public static readonly IReadOnlyList<string> DefaultSecurity = ["x509vnc", "x509plain", "x509none", "vnc"];

    /// <summary>Settings a VNC target has when nothing is said: default security, system TLS verification, lossless.</summary>
    public static VncTargetSettings Default { get; } = new([], TlsVerification.System, null);

    public override string Protocol => ProtocolName;

    /// <summary>
    /// Ask the server for Tight JPEG at this quality (0-9), trading exact pixels for bandwidth between
    /// the gateway and a distant target; null (the default) keeps the session lossless.
    /// </summary>
    public int? JpegQuality { get; init; }

    /// <summary>
    /// In passthrough sessions (noVNC), withhold the JPEG quality levels the viewer asks for, so the server
    /// sends exact pixels; false (the default) honours the viewer's choice (noVNC asks for quality 6).
    /// </summary>
    public bool PassthroughLossless { get; init; }

    public override bool SameAs(TargetSettings other) =>
        other is VncTargetSettings o && TlsVerification == o.TlsVerification && TlsPin == o.TlsPin && JpegQuality == o.JpegQuality
        && PassthroughLossless == o.PassthroughLossless && Security.SequenceEqual(o.Security);

    public override void Validate()
    {
        foreach (var s in Security)
        {
            Require(SecurityTypes.Contains(s), $"unknown VNC security type '{s}' (known: {string.Join(", ", SecurityTypes)})");
        }

        Require(Enum.IsDefined(TlsVerification), $"unknown TLS verification {TlsVerification}");
        Require(
            (TlsVerification == TlsVerification.Pinned) == (TlsPin is { Length: 64 }),
            "a TLS pin is required exactly when verification is 'pinned'");
        Require(JpegQuality is null or (>= 0 and <= 9), "JPEG quality must be 0-9 (or unset for lossless)");
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }
}
