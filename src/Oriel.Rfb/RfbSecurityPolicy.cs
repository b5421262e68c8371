namespace Oriel.Rfb;

/// <summary>The security types and VeNCrypt subtypes a client accepts. When several are offered, TLS with a certificate is preferred, then anonymous TLS, then VNC Authentication, then none.</summary>
[Flags]
public enum RfbSecurityPolicy
{
    /// <summary>Nothing is acceptable.</summary>
    None = 0,

    /// <summary>Security type 1: no authentication, no encryption.</summary>
    NoAuthentication = 1 << 0,

    /// <summary>Security type 2: DES challenge-response, no encryption.</summary>
    VncAuthentication = 1 << 1,

    /// <summary>VeNCrypt Plain (256): username and password in clear text. Never in <see cref="Default"/>.</summary>
    Plain = 1 << 2,

    TlsNone = 1 << 3,
    TlsVnc = 1 << 4,
    TlsPlain = 1 << 5,
    X509None = 1 << 6,
    X509Vnc = 1 << 7,
    X509Plain = 1 << 8,

    /// <summary>Every VeNCrypt subtype that runs over TLS.</summary>
    AnyTls = TlsNone | TlsVnc | TlsPlain | X509None | X509Vnc | X509Plain,

    /// <summary>Everything except clear-text Plain.</summary>
    Default = NoAuthentication | VncAuthentication | AnyTls,
}
