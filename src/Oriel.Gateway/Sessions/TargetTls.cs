using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Rfb;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The TLS handshake a VeNCrypt target asks for (<see cref="RfbTlsRequired"/>), shared by the rendered
/// session (<see cref="VncDriver"/>) and the passthrough relay: anonymous Diffie-Hellman for the TLS*
/// subtypes, a certificate checked against the target's rules for X509* (any certificate when the target
/// says insecure, else the pinned SHA-256 fingerprint when there is one, else the system trust store).
/// A failure is a <see cref="SessionFailure"/> (<see cref="SessionEndReason.TlsFailed"/>) whose sentence
/// names the certificate problem.
/// </summary>
internal sealed partial class TargetTls
{
    private readonly VncTargetSettings _settings;
    private readonly bool _anonymous;
    private string? _certificateProblem;

    private TargetTls(ResolvedTarget target, bool anonymous)
    {
        _settings = target.SettingsAs<VncTargetSettings>();
        _anonymous = anonymous;
    }

    /// <summary>
    /// Runs the client TLS handshake over <paramref name="inner"/> (which the returned stream then owns) within
    /// <see cref="SessionTimeouts.TargetTls"/>.
    /// </summary>
    public static async Task<SslStream> AuthenticateAsync(Stream inner, ResolvedTarget target, RfbVeNCryptSubtype subtype, SessionTimeouts timeouts, TimeProvider time,
        ILogger log, string sessionId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(target);
        var anonymous = subtype is RfbVeNCryptSubtype.TlsNone or RfbVeNCryptSubtype.TlsVnc or RfbVeNCryptSubtype.TlsPlain;
        var check = new TargetTls(target, anonymous);
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = target.Host,
            RemoteCertificateValidationCallback = check.ValidateServerCertificate,
        };
        if (anonymous && !OperatingSystem.IsWindows())
        {
            // VeNCrypt's TLS* subtypes use anonymous Diffie-Hellman: no certificate at all.
            options.EnabledSslProtocols = SslProtocols.Tls12;
            options.CipherSuitesPolicy = AnonymousTls.Policy;
        }
        ArgumentNullException.ThrowIfNull(timeouts);
        using var timeout = new TimeLimit(timeouts.TargetTls, time, ct);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            Log.TlsFailed(log, sessionId, target.Id, ex.Message);
            throw new SessionFailure(SessionEndReason.TlsFailed, check._certificateProblem ?? (ex is OperationCanceledException
                ? $"The desktop server did not finish the TLS handshake within {SessionTimeouts.Describe(timeouts.TargetTls)}."
                : anonymous
                ? $"The desktop server only agreed to anonymous TLS ({subtype}), which this gateway's TLS library refuses at its security level. Enable an X509 security type on the server (see docs/vnc.md)."
                : $"The TLS handshake with the desktop server failed ({subtype}): {ex.Message}"), ex);
        }
        return ssl;
    }

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_settings.TlsVerification == TlsVerification.Insecure || (certificate is null && _anonymous))
        {
            return true;
        }
        if (certificate is null)
        {
            _certificateProblem = "The desktop server presented no TLS certificate.";
            return false;
        }
        if (_settings.TlsPin is { Length: > 0 } pin)
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));
            var expected = pin.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(expected)))
            {
                return true;
            }
            _certificateProblem = $"The desktop server's TLS certificate does not match the pinned fingerprint (it presented sha256:{actual}).";
            return false;
        }
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        _certificateProblem = $"The desktop server's TLS certificate is not trusted ({errors}). Pin its fingerprint or install its CA.";
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Session {SessionId}: TLS with VNC target {TargetId} failed: {Error}")]
        public static partial void TlsFailed(ILogger logger, string sessionId, string targetId, string error);
    }
}
