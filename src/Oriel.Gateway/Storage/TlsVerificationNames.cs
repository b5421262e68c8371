using System.Globalization;

namespace Oriel.Gateway.Storage;

/// <summary>The names of <see cref="TlsVerification"/> as stored, configured and shown: "system", "pinned", "insecure".</summary>
public static class TlsVerificationNames
{
    public static string ToText(TlsVerification v) => v switch
    {
        TlsVerification.Pinned => "pinned",
        TlsVerification.Insecure => "insecure",
        _ => "system",
    };

    public static TlsVerification Parse(string text) => text.ToLower(CultureInfo.InvariantCulture) switch
    {
        "pinned" => TlsVerification.Pinned,
        "insecure" => TlsVerification.Insecure,
        "system" => TlsVerification.System,
        _ => throw new ArgumentException($"unknown TLS verification '{text}'"),
    };
}
