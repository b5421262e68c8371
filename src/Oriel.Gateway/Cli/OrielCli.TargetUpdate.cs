using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    /// <summary>
    /// <c>oriel targets update ID [options]</c>: changes only what is given and keeps the rest, stored secrets included
    /// (an administrator confirming an SSH target's new host key: <c>--host-key-pin SHA256:...</c>, or
    /// <c>--clear-host-key-pins</c>). VNC security, TLS and image settings are set with <c>targets add</c>.
    /// </summary>
    private Command BuildTargetUpdate()
    {
        var id = new Argument<string>("id");
        var name = new Option<string?>("--name") { Description = "Display name" };
        var host = new Option<string?>("--host");
        var port = new Option<int?>("--port");
        var description = new Option<string?>("--description");
        var labels = new Option<string[]>("--label") { Description = "key=value (repeatable; replaces the labels)" };
        var username = new Option<string?>("--username") { Description = "Login name (SSH: the login the gateway signs in as, the one the stored secrets belong to)" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the target password from the first line of standard input" };
        var file = new Option<string?>("--password-file") { Description = "Read the target password from a file" };
        var clearPassword = new Option<bool>("--clear-password") { Description = "Forget the stored password" };
        var ssh = new SshCliOptions();
        var update = new Command("update", "Change some of a target's settings and secrets, keeping the rest")
        {
            id, name, host, port, description, labels, username, stdin, file, clearPassword,
        };
        ssh.AddTo(update, forUpdate: true);
        update.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var existing = await sp.GetRequiredService<IOrielStore>().FindTargetAsync(r.GetValue(id)!, ct).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"no target with id '{r.GetValue(id)}'");
            var settings = existing.Settings;
            if (ssh.AnySetting(r))
            {
                settings = UpdatedSshSettings(existing, ssh, r);
            }

            var givenLabels = r.GetValue(labels) ?? [];
            var target = existing with
            {
                Name = r.GetValue(name) ?? existing.Name,
                Host = r.GetValue(host) ?? existing.Host,
                Port = r.GetValue(port) ?? existing.Port,
                Description = r.GetValue(description) ?? existing.Description,
                Labels = givenLabels.Length > 0 ? TargetRules.ParseLabels(givenLabels) : existing.Labels,
                Username = r.GetValue(username) ?? existing.Username,
                Settings = settings,
            };
            if (r.GetValue(clearPassword) && (r.GetValue(stdin) || r.GetValue(file) is not null))
            {
                throw new ArgumentException("use either --clear-password or a new password");
            }

            var password = r.GetValue(clearPassword) ? "" : await ReadSecretAsync(r.GetValue(stdin), r.GetValue(file), ct).ConfigureAwait(false);
            var changes = await ReadSshSecretsAsync(r, ssh, password, ct).ConfigureAwait(false);
            if (r.GetValue(ssh.ClearPrivateKey))
            {
                changes = changes.PrivateKey is null ? changes with { PrivateKey = "" } : throw new ArgumentException("use either --clear-private-key or --private-key-file");
            }

            if (r.GetValue(ssh.ClearPassphrase))
            {
                changes = changes.PrivateKeyPassphrase is null ? changes with { PrivateKeyPassphrase = "" } : throw new ArgumentException("use either --clear-passphrase or a new passphrase");
            }

            await sp.GetRequiredService<TargetService>().SaveWithSecretsAsync(target, changes, CliActor, ct).ConfigureAwait(false);
            await _out.WriteLineAsync($"updated target {target.Id} ({target.Protocol}://{target.Host}:{target.Port})").ConfigureAwait(false);
            return 0;
        }));
        return update;
    }

    /// <summary>The SSH settings of <paramref name="existing"/> with the options given applied (lists given replace the stored ones).</summary>
    private static SshTargetSettings UpdatedSshSettings(TargetRecord existing, SshCliOptions ssh, ParseResult r)
    {
        if (existing.Settings is not SshTargetSettings settings)
        {
            throw new ArgumentException($"host key pins, trust on first use, terminal type and logins are SSH settings; target '{existing.Id}' is a {existing.Protocol} target");
        }

        var pins = r.GetValue(ssh.HostKeyPins) ?? [];
        var logins = r.GetValue(ssh.Logins) ?? [];
        if (pins.Length > 0 && r.GetValue(ssh.ClearHostKeyPins))
        {
            throw new ArgumentException("use either --host-key-pin or --clear-host-key-pins");
        }

        if (logins.Length > 0 && r.GetValue(ssh.ClearLogins))
        {
            throw new ArgumentException("use either --login or --clear-logins");
        }

        if (r.GetValue(ssh.TrustOnFirstUse) && r.GetValue(ssh.NoTrustOnFirstUse))
        {
            throw new ArgumentException("use either --trust-on-first-use or --no-trust-on-first-use");
        }

        return settings with
        {
            HostKeyPins = r.GetValue(ssh.ClearHostKeyPins) ? [] : pins.Length > 0 ? [.. pins.Distinct(StringComparer.Ordinal)] : settings.HostKeyPins,
            TrustOnFirstUse = r.GetValue(ssh.TrustOnFirstUse) || (!r.GetValue(ssh.NoTrustOnFirstUse) && settings.TrustOnFirstUse),
            TerminalType = r.GetValue(ssh.TerminalType) ?? settings.TerminalType,
            Logins = r.GetValue(ssh.ClearLogins) ? [] : logins.Length > 0 ? logins : settings.Logins,
        };
    }

    /// <summary>The secrets to store: <paramref name="password"/>, and the private key and passphrase the SSH options name (null: keep).</summary>
    private async Task<TargetSecretChanges> ReadSshSecretsAsync(ParseResult r, SshCliOptions ssh, string? password, CancellationToken ct)
    {
        var keyFile = r.GetValue(ssh.PrivateKeyFile);
        var key = keyFile is null ? null : await File.ReadAllTextAsync(keyFile, ct).ConfigureAwait(false);
        if (key is { Length: 0 })
        {
            throw new ArgumentException($"the private key file '{keyFile}' is empty");
        }

        var passphrase = await ReadSecretAsync(r.GetValue(ssh.PassphraseStdin), r.GetValue(ssh.PassphraseFile), "passphrase", "--passphrase-stdin", "--passphrase-file", ct)
            .ConfigureAwait(false);
        return new TargetSecretChanges(password, key, passphrase);
    }
}
