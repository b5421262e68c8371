using System.Text.Json;

namespace Oriel.Gateway.Storage;

/// <summary>
/// The one place target settings are turned into and back from their stored JSON. Each protocol with settings is
/// registered here by name with its record type (<see cref="VncTargetSettings"/> for "vnc", <see cref="SshTargetSettings"/>
/// for "ssh"); a protocol without a
/// record stores only the version (<see cref="UnsetTargetSettings"/>). Every document carries <c>"v"</c>, the format
/// version, so a later format can be told apart from this one. Reading validates the values as
/// <see cref="TargetSettings.Validate"/> does for writes; anything malformed is an <see cref="InvalidDataException"/>
/// that names the protocol and what is wrong.
/// </summary>
internal static class TargetSettingsJson
{
    /// <summary>The format version written now.</summary>
    public const int Version = 1;

    public static string Serialize(TargetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings switch
        {
            VncTargetSettings vnc => JsonSerializer.Serialize(
                new VncSettingsDocument
                {
                    V = Version,
                    Security = [.. vnc.Security],
                    Tls = TlsVerificationNames.ToText(vnc.TlsVerification),
                    TlsPin = vnc.TlsPin,
                    JpegQuality = vnc.JpegQuality,
                    PassthroughLossless = vnc.PassthroughLossless,
                },
                TargetSettingsJsonContext.Default.VncSettingsDocument),
            SshTargetSettings ssh => JsonSerializer.Serialize(
                new SshSettingsDocument
                {
                    V = Version,
                    HostKeyPins = [.. ssh.HostKeyPins],
                    TrustOnFirstUse = ssh.TrustOnFirstUse,
                    TerminalType = ssh.TerminalType,
                    Logins = [.. ssh.Logins],
                },
                TargetSettingsJsonContext.Default.SshSettingsDocument),
            UnsetTargetSettings => JsonSerializer.Serialize(new SettingsVersionDocument { V = Version }, TargetSettingsJsonContext.Default.SettingsVersionDocument),
            _ => throw new ArgumentException($"no stored form for {settings.GetType().Name}", nameof(settings)),
        };
    }

    /// <summary>Reads the settings stored for a target of <paramref name="protocol"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, of another version, or holds values that are not valid.</exception>
    public static TargetSettings Deserialize(string protocol, string json)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            TargetSettings settings = protocol switch
            {
                VncTargetSettings.ProtocolName => ReadVnc(json),
                SshTargetSettings.ProtocolName => ReadSsh(json),
                _ => ReadUnset(protocol, json),
            };
            settings.Validate();
            return settings;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"stored {protocol} target settings are not valid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"stored {protocol} target settings are not valid: {e.Message}", e);
        }
    }

    private static VncTargetSettings ReadVnc(string json)
    {
        var d = JsonSerializer.Deserialize(json, TargetSettingsJsonContext.Default.VncSettingsDocument)
            ?? throw new ArgumentException("the document is null");
        RequireVersion(d.V);
        return new VncTargetSettings(d.Security ?? [], TlsVerificationNames.Parse(d.Tls ?? "system"), d.TlsPin)
        {
            JpegQuality = d.JpegQuality,
            PassthroughLossless = d.PassthroughLossless,
        };
    }

    private static SshTargetSettings ReadSsh(string json)
    {
        var d = JsonSerializer.Deserialize(json, TargetSettingsJsonContext.Default.SshSettingsDocument)
            ?? throw new ArgumentException("the document is null");
        RequireVersion(d.V);
        if (d.HostKeyPins?.Contains(null!) == true || d.Logins?.Contains(null!) == true)
        {
            throw new ArgumentException("host key pins and logins must be strings, not null");
        }

        return new SshTargetSettings(d.HostKeyPins ?? [], d.TrustOnFirstUse ?? true)
        {
            TerminalType = d.TerminalType ?? SshTargetSettings.DefaultTerminalType,
            Logins = d.Logins ?? [],
        };
    }

    private static UnsetTargetSettings ReadUnset(string protocol, string json)
    {
        var d = JsonSerializer.Deserialize(json, TargetSettingsJsonContext.Default.SettingsVersionDocument)
            ?? throw new ArgumentException("the document is null");
        RequireVersion(d.V);
        return new UnsetTargetSettings(protocol);
    }

    private static void RequireVersion(int v)
    {
        if (v != Version)
        {
            throw new ArgumentException($"format version {v} is not the version this gateway reads ({Version})");
        }
    }
}
