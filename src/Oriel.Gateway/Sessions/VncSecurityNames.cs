using Oriel.Gateway.Storage;
using Oriel.Rfb;

namespace Oriel.Gateway.Sessions;

/// <summary>Maps a target's VNC security names (see VncTargetSettings.SecurityTypes) to the engine's policy.</summary>
public static class VncSecurityNames
{
    /// <summary>The policy of a target's settings: its security names, or <see cref="VncTargetSettings.DefaultSecurity"/> when it names none.</summary>
    public static RfbSecurityPolicy ToPolicy(VncTargetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ToPolicy(settings.Security.Count > 0 ? settings.Security : VncTargetSettings.DefaultSecurity);
    }

    public static RfbSecurityPolicy ToPolicy(IReadOnlyList<string> names)
    {
        var policy = RfbSecurityPolicy.None;
        foreach (var name in names)
        {
            policy |= name.ToLowerInvariant() switch
            {
                "none" => RfbSecurityPolicy.NoAuthentication,
                "vnc" => RfbSecurityPolicy.VncAuthentication,
                "plain" => RfbSecurityPolicy.Plain,
                "tlsnone" => RfbSecurityPolicy.TlsNone,
                "tlsvnc" => RfbSecurityPolicy.TlsVnc,
                "tlsplain" => RfbSecurityPolicy.TlsPlain,
                "x509none" => RfbSecurityPolicy.X509None,
                "x509vnc" => RfbSecurityPolicy.X509Vnc,
                "x509plain" => RfbSecurityPolicy.X509Plain,
                _ => RfbSecurityPolicy.None,
            };
        }
        return policy == RfbSecurityPolicy.None ? RfbSecurityPolicy.Default : policy;
    }
}
