using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    private Command BuildTargets()
    {
        var targets = new Command("targets", "Manage the remote machines users can reach");
        var name = new Argument<string>("name") { Description = "Display name" };
        var id = new Option<string?>("--id") { Description = "Stable url-safe id (default: derived from the name)" };
        var protocol = new Option<string>("--protocol") { DefaultValueFactory = _ => "vnc" };
        protocol.AcceptOnlyFromAmong([.. TargetRules.Protocols]);
        var host = new Option<string>("--host") { Required = true };
        var port = new Option<int>("--port") { Description = "TCP port (default 5900 for vnc)" };
        var description = new Option<string?>("--description");
        var labels = new Option<string[]>("--label") { Description = "key=value (repeatable)" };
        var username = new Option<string?>("--username") { Description = "Login name: VNC security types that need one (plain); SSH: the login the gateway signs in as (required)" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the target password from the first line of standard input" };
        var file = new Option<string?>("--password-file") { Description = "Read the target password from a file" };
        var security = new Option<string[]>("--security")
        {
            Description = "Allowed VNC security types in order, comma-separated or repeated: " + string.Join("|", VncTargetSettings.SecurityTypes),
        };
        var pin = new Option<string?>("--tls-pin") { Description = "Accept only the server certificate with this sha256:HEX" };
        var insecure = new Option<bool>("--tls-insecure") { Description = "Accept any server certificate (labs only)" };
        var jpeg = new Option<int?>("--jpeg-quality") { Description = "VNC: ask the server for Tight JPEG at quality 0-9 (saves bandwidth to distant targets; default lossless)" };

        var passthroughLossless = new Option<bool>("--passthrough-lossless")
        {
            Description = "VNC: passthrough (noVNC) sessions get exact pixels; the JPEG quality the viewer asks for is withheld from the server",
        };

        var ssh = new SshCliOptions();
        var add = new Command("add", "Add or replace a target") { name, id, protocol, host, port, description, labels, username, stdin, file, security, pin, insecure, jpeg, passthroughLossless };
        ssh.AddTo(add, forUpdate: false);
        add.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var pinText = r.GetValue(pin);
            string? pinHex = null;
            if (pinText is not null && !TargetRules.TryParsePin(pinText, out pinHex))
            {
                throw new ArgumentException("--tls-pin must be sha256:<64 hex digits>");
            }

            if (pinHex is not null && r.GetValue(insecure))
            {
                throw new ArgumentException("use either --tls-pin or --tls-insecure");
            }

            var proto = r.GetValue(protocol)!;
            var portValue = r.GetValue(port);
            var target = new TargetRecord(
                r.GetValue(id) ?? TargetRules.IdFromName(r.GetValue(name)!),
                r.GetValue(name)!,
                r.GetValue(host)!,
                portValue != 0 ? portValue : proto switch { "rdp" => 3389, "ssh" => 22, _ => 5900 },
                r.GetValue(description) ?? "",
                TargetRules.ParseLabels(r.GetValue(labels) ?? []),
                r.GetValue(username),
                null,
                TargetRules.SettingsFor(
                    proto,
                    (r.GetValue(security) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        .Select(s => s.ToLowerInvariant()).ToList(),
                    pinHex is not null ? TlsVerification.Pinned : r.GetValue(insecure) ? TlsVerification.Insecure : TlsVerification.System,
                    pinHex,
                    r.GetValue(jpeg),
                    r.GetValue(passthroughLossless),
                    ssh.SettingOptions(r)),
                Declared: false);
            var existing = await sp.GetRequiredService<IOrielStore>().FindTargetAsync(target.Id, ct).ConfigureAwait(false);
            target = target with { Settings = TargetRules.KeepHostKeyPins(target.Settings, existing, pinsNamed: (r.GetValue(ssh.HostKeyPins) ?? []).Length > 0) };
            var password = await ReadSecretAsync(r.GetValue(stdin), r.GetValue(file), ct).ConfigureAwait(false);
            var changes = await ReadSshSecretsAsync(r, ssh, password, ct).ConfigureAwait(false);
            var created = await sp.GetRequiredService<TargetService>().SaveWithSecretsAsync(target, changes, CliActor, ct).ConfigureAwait(false);
            await _out.WriteLineAsync($"{(created ? "added" : "updated")} target {target.Id} ({target.Protocol}://{target.Host}:{target.Port})").ConfigureAwait(false);
            return 0;
        }));
        targets.Add(add);

        var list = new Command("list", "List targets");
        list.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            await _out.WriteLineAsync("ID\tNAME\tPROTOCOL\tADDRESS\tLABELS").ConfigureAwait(false);
            foreach (var t in await sp.GetRequiredService<IOrielStore>().ListTargetsAsync(ct).ConfigureAwait(false))
            {
                await _out.WriteLineAsync($"{t.Id}\t{t.Name}\t{t.Protocol}\t{t.Host}:{t.Port}\t{FormatLabels(t.Labels)}").ConfigureAwait(false);
            }

            return 0;
        }));
        targets.Add(list);

        var targetId = new Argument<string>("id");
        var show = new Command("show", "Show one target (never its password)") { targetId };
        show.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var t = await sp.GetRequiredService<IOrielStore>().FindTargetAsync(r.GetValue(targetId)!, ct).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"no target with id '{r.GetValue(targetId)}'");
            await _out.WriteLineAsync(
                $"""
                id:           {t.Id}
                name:         {t.Name}
                protocol:     {t.Protocol}
                address:      {t.Host}:{t.Port}
                description:  {t.Description}
                labels:       {FormatLabels(t.Labels)}
                username:     {t.Username ?? "-"}
                password:     {(t.PasswordCiphertext is null ? "none" : "set (encrypted)")}
                {FormatSettings(t.Settings)}{FormatKey(t)}
                declared:     {(t.Declared ? "yes (configuration file)" : "no")}
                """).ConfigureAwait(false);
            return 0;
        }));
        targets.Add(show);

        var remove = new Command("remove", "Remove a target") { targetId };
        remove.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            if (!await sp.GetRequiredService<TargetService>().RemoveAsync(r.GetValue(targetId)!, CliActor, ct).ConfigureAwait(false))
            {
                throw new KeyNotFoundException($"no target with id '{r.GetValue(targetId)}'");
            }

            await _out.WriteLineAsync($"removed target {r.GetValue(targetId)}").ConfigureAwait(false);
            return 0;
        }));
        targets.Add(remove);
        targets.Add(BuildTargetUpdate());
        return targets;
    }

    /// <summary>The protocol's settings for <c>targets show</c>, one aligned line each.</summary>
    private static string FormatSettings(TargetSettings settings) => settings switch
    {
        VncTargetSettings v => string.Join(
            "\n",
            "vnc security: " + (v.Security.Count > 0 ? string.Join(",", v.Security) : "default (" + string.Join(",", VncTargetSettings.DefaultSecurity) + ")"),
            "tls:          " + TlsVerificationNames.ToText(v.TlsVerification) + (v.TlsPin is null ? "" : " sha256:" + v.TlsPin),
            "images:       " + (v.JpegQuality is { } q ? $"Tight JPEG quality {q}" : "lossless"),
            "passthrough:  " + (v.PassthroughLossless ? "lossless (the viewer's JPEG quality is withheld)" : "the viewer's encodings (noVNC: Tight JPEG quality 6)")),
        SshTargetSettings s => string.Join(
            "\n",
            "host keys:    " + (s.HostKeyPins.Count > 0 ? string.Join(",", s.HostKeyPins) + " (pinned)"
                : s.TrustOnFirstUse ? "none pinned yet (the first key seen is pinned)" : "none pinned (connections are refused until one is)"),
            "first use:    " + (s.TrustOnFirstUse ? "trusted (pinned when none is)" : "not trusted"),
            "terminal:     " + s.TerminalType,
            "logins:       " + (s.Logins.Count > 0 ? string.Join(",", s.Logins) + " (besides the username, where a role allows)" : "the username only")),
        _ => "settings:     none for " + settings.Protocol + " yet",
    };

    /// <summary>Whether an SSH target's vault holds a private key and passphrase (never the secrets themselves).</summary>
    private static string FormatKey(TargetRecord t) => t.Settings is not SshTargetSettings ? "" : "\n" + string.Join(
        "\n",
        "private key:  " + (t.PrivateKeyCiphertext is null ? "none" : "set (encrypted)"),
        "passphrase:   " + (t.PrivateKeyPassphraseCiphertext is null ? "none" : "set (encrypted)"));

    private static string FormatLabels(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
