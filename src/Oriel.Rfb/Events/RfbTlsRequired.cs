namespace Oriel.Rfb;

/// <summary>The VeNCrypt subtype was accepted: the driver must run a TLS handshake (anonymous for TLS*, certificate-checked for X509*) over the connection, then call <see cref="RfbClient.TlsEstablished"/>. The engine pauses until then.</summary>
public sealed record RfbTlsRequired(RfbVeNCryptSubtype Subtype) : RfbEvent;
