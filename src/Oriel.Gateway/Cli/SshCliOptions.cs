using System.CommandLine;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Cli;

/// <summary>
/// The SSH options of <c>oriel targets add</c> and <c>oriel targets update</c>: host key pins, trust on first use,
/// terminal type, extra logins, and the private key and its passphrase (read from a file or standard input, never
/// from the command line, where other users of the machine could see them).
/// </summary>
internal sealed class SshCliOptions
{
    public Option<string[]> HostKeyPins { get; } = new("--host-key-pin")
    {
        Description = "SSH: accept this host key, SHA256:... as ssh-keygen -l prints it (repeatable; on update, replaces the pins)",
    };

    public Option<bool> NoTrustOnFirstUse { get; } = new("--no-trust-on-first-use")
    {
        Description = "SSH: while no host key is pinned, refuse connections instead of pinning the first key seen",
    };

    public Option<bool> TrustOnFirstUse { get; } = new("--trust-on-first-use") { Description = "SSH: pin the first host key seen while none is pinned" };

    public Option<bool> ClearHostKeyPins { get; } = new("--clear-host-key-pins") { Description = "SSH: forget the pinned host keys" };

    public Option<string?> TerminalType { get; } = new("--terminal-type") { Description = "SSH: TERM of the terminal (default xterm-256color)" };

    public Option<string[]> Logins { get; } = new("--login")
    {
        Description = "SSH: another login users may choose where a role allows it (repeatable; on update, replaces the list)",
    };

    public Option<bool> ClearLogins { get; } = new("--clear-logins") { Description = "SSH: offer only the target's username" };

    public Option<string?> PrivateKeyFile { get; } = new("--private-key-file")
    {
        Description = "SSH: the private key the gateway signs in with (OpenSSH or PEM file); stored encrypted",
    };

    public Option<bool> ClearPrivateKey { get; } = new("--clear-private-key") { Description = "SSH: forget the stored private key (and its passphrase)" };

    public Option<bool> PassphraseStdin { get; } = new("--passphrase-stdin")
    {
        Description = "SSH: read the private key's passphrase from standard input (the line after the password when --password-stdin is given too)",
    };

    public Option<string?> PassphraseFile { get; } = new("--passphrase-file") { Description = "SSH: read the private key's passphrase from a file" };

    public Option<bool> ClearPassphrase { get; } = new("--clear-passphrase") { Description = "SSH: forget the stored passphrase" };

    public void AddTo(Command command, bool forUpdate)
    {
        command.Add(HostKeyPins);
        command.Add(NoTrustOnFirstUse);
        command.Add(TerminalType);
        command.Add(Logins);
        command.Add(PrivateKeyFile);
        command.Add(PassphraseStdin);
        command.Add(PassphraseFile);
        if (forUpdate)
        {
            command.Add(TrustOnFirstUse);
            command.Add(ClearHostKeyPins);
            command.Add(ClearLogins);
            command.Add(ClearPrivateKey);
            command.Add(ClearPassphrase);
        }
    }

    /// <summary>The SSH settings given on the command line of <c>add</c> (null where not given).</summary>
    public SshSettingOptions SettingOptions(ParseResult r)
    {
        var pins = r.GetValue(HostKeyPins) ?? [];
        var logins = r.GetValue(Logins) ?? [];
        return new SshSettingOptions(
            pins.Length > 0 ? pins : null,
            r.GetValue(NoTrustOnFirstUse) ? false : null,
            r.GetValue(TerminalType),
            logins.Length > 0 ? logins : null);
    }

    /// <summary>True when any SSH setting (not a secret) is given.</summary>
    public bool AnySetting(ParseResult r) =>
        !SettingOptions(r).IsEmpty || r.GetValue(TrustOnFirstUse) || r.GetValue(ClearHostKeyPins) || r.GetValue(ClearLogins);
}
