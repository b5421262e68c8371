namespace Oriel.Gateway.Storage;

/// <summary>How the gateway reaches an SSH target.</summary>
/// <param name="HostKeyPins">
/// The host keys accepted, as SHA-256 fingerprints in <c>ssh-keygen -l</c> form ("SHA256:" and unpadded base64). Empty:
/// none pinned yet (the first key seen is pinned when <see cref="TrustOnFirstUse"/> is on, else the connection is refused).
/// </param>
/// <param name="TrustOnFirstUse">Pin the first key seen when none is pinned (default on).</param>
public sealed record SshTargetSettings(IReadOnlyList<string> HostKeyPins, bool TrustOnFirstUse) : TargetSettings
{
    /// <summary>The protocol name these settings are registered under.</summary>
    public const string ProtocolName = "ssh";

    /// <summary>The TERM value when the target names none.</summary>
    public const string DefaultTerminalType = "xterm-256color";

    public static SshTargetSettings Default { get; } = new([], true);

    public override string Protocol => ProtocolName;

    /// <summary>TERM sent with the pseudo-terminal request.</summary>
    public string TerminalType { get; init; } = DefaultTerminalType;

    /// <summary>Logins offered on this target besides the target's own <c>Username</c>; a role's <c>Logins</c> must also allow each.</summary>
    public IReadOnlyList<string> Logins { get; init; } = [];

    public override bool SameAs(TargetSettings other) =>
        other is SshTargetSettings o && TrustOnFirstUse == o.TrustOnFirstUse && TerminalType == o.TerminalType
        && HostKeyPins.SequenceEqual(o.HostKeyPins) && Logins.SequenceEqual(o.Logins);

    public override void Validate()
    {
        foreach (var pin in HostKeyPins)
        {
            Require(IsFingerprint(pin), $"host key pin '{pin}' is not a SHA-256 fingerprint as ssh-keygen -l prints it (SHA256:<43 base64 characters>)");
        }
        Require(TerminalType.Length is > 0 and <= 64 && TerminalType.All(c => c is > ' ' and < '\x7f'), "the terminal type must be 1-64 printable ASCII characters");
        foreach (var login in Logins)
        {
            Require(login.Length is > 0 and <= 64 && login.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'),
                $"login '{login}' must be 1-64 characters of letters, digits, '.', '_' or '-'");
        }
    }

    /// <summary>True for "SHA256:" followed by 43 characters of unpadded standard base64 (32 bytes).</summary>
    public static bool IsFingerprint(string text) =>
        text.Length == 50 && text.StartsWith("SHA256:", StringComparison.Ordinal)
        && text.AsSpan(7).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") < 0;

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }
}
