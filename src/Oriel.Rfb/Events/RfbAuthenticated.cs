using Oriel.Rfb.Messages;

namespace Oriel.Rfb;

/// <summary>
/// The security handshake succeeded ([RFC 6143] 7.1.3) and <see cref="RfbClientOptions.StopAfterSecurity"/> is
/// set: no ClientInit was sent, the caller continues the stream from ClientInit ([RFC 6143] 7.3.1) on.
/// <paramref name="SecurityType"/> is the security type in effect (a VeNCrypt subtype number after VeNCrypt).
/// </summary>
public sealed record RfbAuthenticated(ProtocolVersionMessage Version, uint SecurityType) : RfbEvent;
