namespace Oriel.Gateway.Storage;

/// <summary>How the gateway checks a target's TLS certificate (VeNCrypt X509*, later RDP and others).</summary>
public enum TlsVerification
{
    /// <summary>The system CA store and the host name.</summary>
    System,

    /// <summary>The SHA-256 of the server's leaf certificate must equal the pin; CA and name are not checked.</summary>
    Pinned,

    /// <summary>Anything is accepted. Only for labs; shown as a warning.</summary>
    Insecure,
}
