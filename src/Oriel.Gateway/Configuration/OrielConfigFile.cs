using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oriel.Gateway.Configuration;

/// <summary>
/// The declarative configuration file (<c>oriel.json</c>). Objects it declares are upserted at every start
/// (targets by id, roles and users by name) and marked as declared. Secrets never appear in it directly:
/// target passwords come from <c>passwordEnv</c>/<c>passwordFile</c>, SSH private keys from <c>privateKeyFile</c>/
/// <c>privateKeyEnv</c> and their passphrases from <c>privateKeyPassphraseEnv</c>/<c>privateKeyPassphraseFile</c> (all read
/// when the file is applied, then kept encrypted), user passwords as a PBKDF2
/// <c>passwordHash</c> (from <c>oriel users hash</c>) or an <c>initialPasswordEnv</c> used only when the user is first created.
/// Example: tests/Oriel.Gateway.Tests/ConfigFileTests.cs.
/// </summary>
public sealed class OrielConfigFile
{
    /// <summary>Largest configuration file read.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Origins the gateway is reached at (see <see cref="Configuration.GatewayOptions.PublicUrls"/>).</summary>
    public List<string>? PublicUrls { get; set; }

    public bool? TrustForwardedHeaders { get; set; }

    public string? WebRoot { get; set; }

    /// <summary>The time limits of live desktop sessions, in seconds; unset ones keep their defaults (<see cref="SessionTimeoutsSection"/>).</summary>
    public SessionTimeoutsEntry? SessionTimeouts { get; set; }

    /// <summary>How long recordings are kept (<see cref="RecordingsSection"/>); unset keeps them for ever.</summary>
    public RecordingsEntry? Recordings { get; set; }

    /// <summary>
    /// Most seconds between keyframes of a rendered session's recording while the screen changes (0.5-600; default 5):
    /// <see cref="Configuration.GatewayOptions.RecordingKeyframeInterval"/>.
    /// </summary>
    public double? RecordingKeyframeSeconds { get; set; }

    public List<TargetEntry> Targets { get; set; } = [];

    public List<RoleEntry> Roles { get; set; } = [];

    public List<UserEntry> Users { get; set; } = [];

    public static OrielConfigFile Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"configuration file '{path}' not found", path);
        }

        if (info.Length > MaxBytes)
        {
            throw new InvalidDataException($"configuration file '{path}' is larger than {MaxBytes} bytes");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static OrielConfigFile Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<OrielConfigFile>(json, Options) ?? new OrielConfigFile();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>
    /// <c>"sessionTimeouts"</c>: each limit of <see cref="Configuration.SessionTimeouts"/> in seconds (fractions allowed).
    /// Checked and applied by <see cref="SessionTimeoutsSection.Apply"/>.
    /// </summary>
    public sealed class SessionTimeoutsEntry
    {
        public double? TargetConnectSeconds { get; set; }

        public double? TargetTlsSeconds { get; set; }

        public double? TargetHandshakeSeconds { get; set; }

        public double? TargetSilenceBeforeProbeSeconds { get; set; }

        public double? TargetProbeAnswerSeconds { get; set; }

        public double? TargetMidMessageSilenceSeconds { get; set; }

        public double? BrowserHandshakeSeconds { get; set; }

        public double? BrowserCloseGraceSeconds { get; set; }

        public double? ShutdownGraceSeconds { get; set; }
    }

    /// <summary>A declared target.</summary>
    public sealed class TargetEntry
    {
        public string? Id { get; set; }

        public string Name { get; set; } = "";

        public string Protocol { get; set; } = "vnc";

        public string Host { get; set; } = "";

        public int Port { get; set; }

        public string? Description { get; set; }

        public Dictionary<string, string>? Labels { get; set; }

        public string? Username { get; set; }

        /// <summary>Environment variable holding the password.</summary>
        public string? PasswordEnv { get; set; }

        /// <summary>File holding the password (trailing newline removed).</summary>
        public string? PasswordFile { get; set; }

        /// <summary>Allowed VNC security types in order.</summary>
        public List<string>? Security { get; set; }

        /// <summary>"sha256:HEX" pin of the server certificate.</summary>
        public string? TlsPin { get; set; }

        /// <summary>VNC: Tight JPEG quality 0-9 to ask the server for; unset keeps the session lossless.</summary>
        public int? JpegQuality { get; set; }

        /// <summary>VNC: passthrough (noVNC) sessions get exact pixels, whatever JPEG quality the viewer asks for.</summary>
        public bool PassthroughLossless { get; set; }

        public bool TlsInsecure { get; set; }

        /// <summary>SSH: file holding the private key (OpenSSH or PEM text), read when the file is applied.</summary>
        public string? PrivateKeyFile { get; set; }

        /// <summary>SSH: environment variable holding the private key text.</summary>
        public string? PrivateKeyEnv { get; set; }

        /// <summary>SSH: environment variable holding the passphrase of the private key.</summary>
        public string? PrivateKeyPassphraseEnv { get; set; }

        /// <summary>SSH: file holding the passphrase of the private key (trailing newline removed).</summary>
        public string? PrivateKeyPassphraseFile { get; set; }

        /// <summary>SSH: host key fingerprints to accept, "SHA256:..." as <c>ssh-keygen -l</c> prints them.</summary>
        public List<string>? HostKeyPins { get; set; }

        /// <summary>SSH: pin the first host key seen while none is pinned (default true).</summary>
        public bool? TrustOnFirstUse { get; set; }

        /// <summary>SSH: TERM for the pseudo-terminal (default xterm-256color).</summary>
        public string? TerminalType { get; set; }

        /// <summary>SSH: logins offered besides <see cref="Username"/>; a role must allow each (<see cref="RoleEntry.Logins"/>).</summary>
        public List<string>? Logins { get; set; }
    }

    /// <summary>A declared role.</summary>
    public sealed class RoleEntry
    {
        public string Name { get; set; } = "";

        public string? Description { get; set; }

        public List<string>? Targets { get; set; }

        /// <summary>Label selectors; a target matches one when all its key=value pairs match.</summary>
        public List<Dictionary<string, string>>? TargetLabels { get; set; }

        public bool ClipboardRead { get; set; }

        public bool ClipboardWrite { get; set; }

        public bool Resize { get; set; } = true;

        public int? MaxSessions { get; set; }

        /// <summary>Holders may make Web Desktop links for the targets this role grants (<see cref="Storage.RoleRecord.CreateLinks"/>).</summary>
        public bool CreateLinks { get; set; }

        /// <summary>"off", "best-effort" (the default) or "required" (<see cref="Storage.RoleRecord.Recording"/>).</summary>
        public string? Recording { get; set; }

        /// <summary>"off", "redacted" (the default) or "full" (<see cref="Storage.RoleRecord.RecordInput"/>).</summary>
        public string? RecordInput { get; set; }

        /// <summary>Whose recordings holders may see: "none" (the default), "own" or "all" (<see cref="Storage.RoleRecord.Recordings"/>).</summary>
        public string? Recordings { get; set; }

        /// <summary>Holders may watch others' live sessions read-only (<see cref="Storage.RoleRecord.WatchLive"/>).</summary>
        public bool WatchLive { get; set; }

        /// <summary>SSH logins holders may use besides a target's own username; "*" for any the target offers (<see cref="Storage.RoleRecord.Logins"/>).</summary>
        public List<string>? Logins { get; set; }

        /// <summary>Holders may list and download files on SSH targets (<see cref="Storage.RoleRecord.FileDownload"/>).</summary>
        public bool FileDownload { get; set; }

        /// <summary>Holders may upload, make, rename and delete files on SSH targets (<see cref="Storage.RoleRecord.FileUpload"/>).</summary>
        public bool FileUpload { get; set; }

        /// <summary>Holders may answer a target's sign-in prompts in the browser (<see cref="Storage.RoleRecord.BrowserAuthPrompts"/>).</summary>
        public bool BrowserAuthPrompts { get; set; }
    }

    /// <summary>A declared user.</summary>
    public sealed class UserEntry
    {
        public string Username { get; set; } = "";

        /// <summary>A <c>$pbkdf2-sha256$</c> hash (e.g. from <c>oriel users hash</c>); kept in sync at every start.</summary>
        public string? PasswordHash { get; set; }

        /// <summary>Environment variable with the initial password, used only at creation; it must be changed at first sign-in.</summary>
        public string? InitialPasswordEnv { get; set; }

        public bool IsAdmin { get; set; }

        public List<string>? Roles { get; set; }
    }

    /// <summary><c>"recordings"</c>: <c>retentionDays</c>, whole days a recording is kept after it started (1 to 36500); unset: for ever.</summary>
    public sealed class RecordingsEntry
    {
        public int? RetentionDays { get; set; }
    }
}
