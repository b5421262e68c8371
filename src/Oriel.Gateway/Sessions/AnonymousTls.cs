using System.Net.Security;
using System.Runtime.Versioning;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The cipher suites VeNCrypt's anonymous TLS subtypes (TLSNone, TLSVnc, TLSPlain) need. OpenSSL
/// only negotiates them when its security level is 0, which is a process-wide setting
/// (OPENSSL_CONF); by default the handshake fails and the user is told why.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class AnonymousTls
{
    public static CipherSuitesPolicy Policy { get; } = new(
    [
        TlsCipherSuite.TLS_ECDH_anon_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDH_anon_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_DH_anon_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_DH_anon_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_DH_anon_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_DH_anon_WITH_AES_128_CBC_SHA,
    ]);
}
