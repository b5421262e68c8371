namespace Oriel.Gateway.Configuration;

/// <summary>Everything the host needs to start; filled from the command line and the configuration file.</summary>
public sealed class GatewayOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string DatabaseFileName = "oriel.db";
    public const string ConfigFileName = "oriel.json";

    /// <summary>Holds <c>oriel.db</c>, <c>secret.key</c>, the cookie-protection keys and (optionally) <c>oriel.json</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Listen addresses (Kestrel URL syntax); <c>http://127.0.0.1:0</c> picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; set; } = [DefaultUrl];

    /// <summary>The configuration file; null means <c>DATA/oriel.json</c> when it exists.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>The built web client (index.html + assets); null means search for <c>web/dist</c> (see WebRootLocator).</summary>
    public string? WebRoot { get; set; }

    /// <summary>Origins users reach the gateway at when behind a proxy (<c>https://oriel.example.com</c>).</summary>
    public IReadOnlyList<string> PublicUrls { get; set; } = [];

    /// <summary>Honour X-Forwarded-For/-Proto from loopback proxies. Off by default.</summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>Where first-run instructions are printed.</summary>
    public TextWriter Output { get; set; } = Console.Out;

    public SignInThrottleOptions Throttle { get; set; } = new();

    /// <summary>How the audit rows of refusals before authentication are bounded (<see cref="Audit.RefusalAuditor"/>).</summary>
    public RefusalAuditOptions RefusalAudit { get; set; } = new();

    /// <summary>A sign-in session ends after this long without a request.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A sign-in session ends this long after sign-in, however active.</summary>
    public TimeSpan SessionMaxLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often live desktop sessions are re-checked against sign-in and access (sign-out, role or user removal end them).</summary>
    public TimeSpan SessionRevalidationInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The time limits of live desktop sessions (connect, handshakes, a silent target, closing).</summary>
    public SessionTimeouts SessionTimeouts { get; set; } = new();

    /// <summary>
    /// Recordings older than this (by their start) are deleted by the maintenance job, with their transcoded copies
    /// and catalog rows; null (the default) keeps them for ever. From the configuration file's
    /// <c>"recordings": { "retentionDays": N }</c> (<see cref="RecordingsSection"/>).
    /// </summary>
    public TimeSpan? RecordingRetention { get; set; }

    /// <summary>Video export of recordings: ffmpeg, frame rate, background jobs (<see cref="Recordings.Export.RecordingExporter"/>).</summary>
    public Recordings.Export.RecordingExportOptions RecordingExport { get; set; } = new();

    private int _terminalWindowBytes = 256 * 1024;

    /// <summary>
    /// A terminal session's output window (docs/tdp.md, "Terminal flow control"): the most terminal output the gateway
    /// sends the browser before it acknowledges some; then the gateway stops reading from the remote terminal. At least
    /// 64 KiB (one full terminal output message); 256 KiB by default.
    /// </summary>
    public int TerminalWindowBytes
    {
        get => _terminalWindowBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, Tdp.TdpLimits.MaxTerminalOutputBytes);
            _terminalWindowBytes = value;
        }
    }

    /// <summary>A rendered session's recording gets a keyframe (the whole screen) at least this often while the screen changes.</summary>
    public TimeSpan RecordingKeyframeInterval { get; set; } = TimeSpan.FromSeconds(5);

    public string DatabasePath => Path.Combine(DataDirectory, DatabaseFileName);

    public string SecretKeyPath => Path.Combine(DataDirectory, Security.SecretKeyRing.FileName);

    /// <summary>Test hook: PBKDF2 iterations for new hashes (tests lower it to stay fast).</summary>
    internal int PasswordIterations { get; set; } = Security.PasswordHasher.DefaultIterations;

    /// <summary>Test hook: the clock.</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Test hook: environment variables named by the configuration file.</summary>
    internal Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>The configuration file to apply, or null when none.</summary>
    public string? ResolveConfigFile()
    {
        if (ConfigFile is not null)
        {
            return ConfigFile;
        }

        var inData = Path.Combine(DataDirectory, ConfigFileName);
        return File.Exists(inData) ? inData : null;
    }
}
