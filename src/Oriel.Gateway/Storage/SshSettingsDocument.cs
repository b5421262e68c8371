namespace Oriel.Gateway.Storage;

/// <summary>
/// The stored JSON of <see cref="SshTargetSettings"/>, format version 1. A member left out takes the default of
/// <see cref="SshTargetSettings.Default"/> (so the bare <c>{"v":1}</c> that SSH targets got from migration 0007 reads as
/// the defaults: no pin, trust on first use, <c>xterm-256color</c>, no extra logins). Secrets never live here: the
/// private key and its passphrase are encrypted in their own columns, like the password.
/// </summary>
internal sealed class SshSettingsDocument
{
    /// <summary>Format version.</summary>
    public int V { get; set; }

    /// <summary>Pinned host keys, "SHA256:" and 43 characters of unpadded base64 each (as <c>ssh-keygen -l</c> prints).</summary>
    public List<string>? HostKeyPins { get; set; }

    /// <summary>Pin the first key seen when none is pinned; null (absent) means on.</summary>
    public bool? TrustOnFirstUse { get; set; }

    /// <summary>TERM sent with the pseudo-terminal request; null (absent) means <see cref="SshTargetSettings.DefaultTerminalType"/>.</summary>
    public string? TerminalType { get; set; }

    /// <summary>Logins offered besides the target's own username.</summary>
    public List<string>? Logins { get; set; }
}
