namespace Oriel.Rfb;

/// <summary>VeNCrypt subtypes, rfbproto "VeNCrypt". TLS* use anonymous TLS, X509* a server certificate.</summary>
public enum RfbVeNCryptSubtype
{
    Plain = 256,
    TlsNone = 257,
    TlsVnc = 258,
    TlsPlain = 259,
    X509None = 260,
    X509Vnc = 261,
    X509Plain = 262,
}
