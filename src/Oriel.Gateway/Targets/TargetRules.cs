using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Targets;

/// <summary>Validation and normalization shared by the CLI, the configuration file and the HTTP API.</summary>
public static class TargetRules
{
    public const int MaxIdLength = 63;
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 1024;
    public const int MaxLabels = 64;
    public const int MaxLabelLength = 128;
    public const int MaxHostKeyPins = 16;
    public const int MaxLogins = 64;

    public static readonly IReadOnlyList<string> Protocols = ["vnc", "rdp", "ssh"];

    /// <summary>Lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, at most 63 chars.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || !IsLowerOrDigit(id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!IsLowerOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Derives an id from a display name ("Build Box #2" → "build-box-2").</summary>
    public static string IdFromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (IsLowerOrDigit(c) || c is '_' or '.')
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var id = sb.ToString().Trim('-', '.', '_');
        if (id.Length > MaxIdLength)
        {
            id = id[..MaxIdLength].TrimEnd('-', '.', '_');
        }

        return id.Length == 0 ? "target" : id;
    }

    /// <summary>Parses "sha256:HEX" (colons between bytes allowed) into 64 lowercase hex digits.</summary>
    public static bool TryParsePin(string? text, [NotNullWhen(true)] out string? hex)
    {
        hex = null;
        if (text is null || !text.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var digits = text[7..].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        if (digits.Length != 64 || !digits.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        hex = digits;
        return true;
    }

    /// <summary>Parses "key=value" label arguments.</summary>
    public static Dictionary<string, string> ParseLabels(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"label '{pair}' is not key=value");
            }

            labels[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return labels;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a readable message when the target is not valid.</summary>
    public static void Validate(Storage.TargetRecord t)
    {
        ArgumentNullException.ThrowIfNull(t);
        Require(IsValidId(t.Id), $"target id '{t.Id}' must be 1-63 of a-z 0-9 - _ . starting with a letter or digit");
        Require(!string.IsNullOrWhiteSpace(t.Name) && t.Name.Length <= MaxNameLength, "target name must be 1-128 characters");
        Require(Protocols.Contains(t.Protocol), $"protocol must be one of {string.Join(", ", Protocols)}");
        Require(!string.IsNullOrWhiteSpace(t.Host) && t.Host.Length <= 253 && !t.Host.Any(char.IsWhiteSpace), "host is required");
        Require(t.Port is > 0 and <= 65535, "port must be 1-65535");
        Require(t.Description.Length <= MaxDescriptionLength, "description is too long");
        Require(t.Labels.Count <= MaxLabels, "too many labels");
        foreach (var (k, v) in t.Labels)
        {
            Require(k.Length is > 0 and <= MaxLabelLength && v.Length <= MaxLabelLength, $"label '{k}' is empty or too long");
        }

        t.Settings.Validate();
        if (t.Settings is SshTargetSettings ssh)
        {
            Require(
                !string.IsNullOrWhiteSpace(t.Username) && t.Username.Length <= 256 && !t.Username.Any(char.IsControl),
                "an SSH target needs a username: the login the gateway signs in as (and the one its stored credentials belong to)");
            Require(ssh.HostKeyPins.Count <= MaxHostKeyPins, $"at most {MaxHostKeyPins} host key pins");
            Require(ssh.Logins.Count <= MaxLogins, $"at most {MaxLogins} logins");
        }
    }

    /// <summary>
    /// Builds a target's settings from the flat options the CLI and the configuration file take. VNC gets a
    /// <see cref="VncTargetSettings"/>, SSH an <see cref="SshTargetSettings"/> from <paramref name="ssh"/>; each protocol
    /// refuses the other's options, and a protocol without a settings record yet takes none of them.
    /// </summary>
    public static TargetSettings SettingsFor(
        string protocol, IReadOnlyList<string> security, TlsVerification tls, string? pin, int? jpegQuality, bool passthroughLossless,
        SshSettingOptions? ssh = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(security);
        Require(Protocols.Contains(protocol), $"protocol must be one of {string.Join(", ", Protocols)}");
        ssh ??= new SshSettingOptions();
        if (protocol != SshTargetSettings.ProtocolName)
        {
            Require(ssh.IsEmpty, $"host key pins, trust on first use, terminal type and logins are SSH settings; a {protocol} target takes none of them");
        }

        if (protocol == VncTargetSettings.ProtocolName)
        {
            return new VncTargetSettings(security, tls, pin) { JpegQuality = jpegQuality, PassthroughLossless = passthroughLossless };
        }

        Require(
            security.Count == 0 && tls == TlsVerification.System && pin is null && jpegQuality is null && !passthroughLossless,
            $"security, TLS, JPEG quality and passthrough-lossless are VNC settings; a {protocol} target takes none of them");
        if (protocol == SshTargetSettings.ProtocolName)
        {
            var settings = new SshTargetSettings(ssh.HostKeyPins ?? [], ssh.TrustOnFirstUse ?? true)
            {
                TerminalType = ssh.TerminalType ?? SshTargetSettings.DefaultTerminalType,
                Logins = ssh.Logins ?? [],
            };
            settings.Validate();
            return settings;
        }

        return new UnsetTargetSettings(protocol);
    }

    /// <summary>
    /// The settings of a target declared again (the configuration file at every start, <c>oriel targets add</c> over an
    /// existing target) that names no host key pins: the SSH pins the stored target has, learned on first use or confirmed
    /// by an administrator, are kept, so a restart does not forget them (and trust the next key anew). Pins that are named,
    /// even an empty list, replace them.
    /// </summary>
    public static TargetSettings KeepHostKeyPins(TargetSettings declared, TargetRecord? existing, bool pinsNamed)
    {
        ArgumentNullException.ThrowIfNull(declared);
        return !pinsNamed && declared is SshTargetSettings ssh && existing?.Settings is SshTargetSettings stored && stored.HostKeyPins.Count > 0
            ? ssh with { HostKeyPins = stored.HostKeyPins }
            : declared;
    }

    /// <summary>True when the two targets are defined the same, ignoring the stored secrets (password, private key, passphrase).</summary>
    public static bool SameDefinition(Storage.TargetRecord a, Storage.TargetRecord b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Id == b.Id && a.Name == b.Name && a.Protocol == b.Protocol && a.Host == b.Host && a.Port == b.Port
            && a.Description == b.Description && a.Username == b.Username
            && a.Declared == b.Declared && a.Settings.SameAs(b.Settings)
            && a.Labels.Count == b.Labels.Count && a.Labels.All(kv => b.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }

    private static bool IsLowerOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }
}
