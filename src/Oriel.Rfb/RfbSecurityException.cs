namespace Oriel.Rfb;

/// <summary>
/// The security handshake failed for a reason a user should read (wrong password, no acceptable
/// security type). Malformed bytes are a <see cref="Oriel.Wire.DecodeException"/> instead.
/// </summary>
public sealed class RfbSecurityException : Exception
{
    public RfbSecurityException(RfbSecurityFailure kind, string reason)
        : base($"VNC security: {kind}: {reason}")
    {
        Kind = kind;
        Reason = reason;
    }

    /// <summary>What kind of failure.</summary>
    public RfbSecurityFailure Kind { get; }

    /// <summary>The server's reason string when it sent one (e.g. "Authentication failure"), else ours.</summary>
    public string Reason { get; }
}
