namespace Oriel.Rfb;

/// <summary>Security-type numbers this client implements, [RFC 6143] 7.1.2 and rfbproto "Security".</summary>
public static class RfbSecurityType
{
    public const byte Invalid = 0;
    public const byte None = 1;
    public const byte VncAuthentication = 2;
    public const byte VeNCrypt = 19;
}
