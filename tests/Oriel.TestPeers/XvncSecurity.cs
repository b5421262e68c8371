namespace Oriel.TestPeers;

/// <summary>TigerVNC's names for the security types Xvnc offers (its <c>-SecurityTypes</c> values).</summary>
public enum XvncSecurity
{
    /// <summary>RFB type 1: no authentication.</summary>
    None,

    /// <summary>RFB type 2: DES challenge/response with the password file.</summary>
    VncAuth,

    /// <summary>VeNCrypt Plain (256) without TLS: user name and password in clear, checked by PAM.</summary>
    Plain,

    /// <summary>VeNCrypt anonymous TLS (aNULL ciphers, which .NET cannot negotiate).</summary>
    TLSNone,

    /// <summary>VeNCrypt anonymous TLS then VncAuth.</summary>
    TLSVnc,

    /// <summary>VeNCrypt anonymous TLS then Plain.</summary>
    TLSPlain,

    /// <summary>VeNCrypt X.509 TLS, no further authentication.</summary>
    X509None,

    /// <summary>VeNCrypt X.509 TLS then VncAuth.</summary>
    X509Vnc,

    /// <summary>VeNCrypt X.509 TLS then Plain (PAM service "tigervnc").</summary>
    X509Plain,
}
