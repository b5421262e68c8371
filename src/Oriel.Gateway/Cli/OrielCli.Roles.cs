using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Access;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    private Command BuildRoles()
    {
        var roles = new Command("roles", "Manage roles: which targets they grant and what sessions may do");
        var name = new Argument<string>("name");
        var description = new Option<string?>("--description");
        var targets = new Option<string[]>("--target") { Description = "Grant a target by id ('*' for all; repeatable)" };
        var labels = new Option<string[]>("--label") { Description = "Grant targets having this label, key=value ('*' any value); all given must match" };
        var clipboard = new Option<string>("--clipboard") { Description = "none, read, write or both", DefaultValueFactory = _ => "none" };
        clipboard.AcceptOnlyFromAmong("none", "read", "write", "both");
        var noResize = new Option<bool>("--no-resize") { Description = "Do not let sessions resize the remote desktop" };
        var maxSessions = new Option<int?>("--max-sessions") { Description = "Most concurrent sessions per user and target" };
        var createLinks = new Option<bool>("--create-links") { Description = "Holders may make Web Desktop links for the targets this role grants" };
        var recording = new Option<string>("--recording") { Description = "Record sessions: off, best-effort or required", DefaultValueFactory = _ => "best-effort" };
        recording.AcceptOnlyFromAmong("off", "best-effort", "required");
        var recordInput = new Option<string>("--record-input")
        {
            Description = "Input kept in recordings: off, redacted (pointer, and key timing without which key) or full",
            DefaultValueFactory = _ => "redacted",
        };
        recordInput.AcceptOnlyFromAmong("off", "redacted", "full");
        var recordings = new Option<string>("--recordings") { Description = "Whose recordings holders may see: none, own or all", DefaultValueFactory = _ => "none" };
        recordings.AcceptOnlyFromAmong("none", "own", "all");
        var watchLive = new Option<bool>("--watch-live") { Description = "Holders may watch other users' live sessions, read-only" };
        var logins = new Option<string[]>("--login")
        {
            Description = "SSH: a login holders may choose besides each target's username, if the target offers it ('*' for any it offers; repeatable)",
        };
        var fileDownload = new Option<bool>("--file-download") { Description = "SSH: holders may list and download files in the file panel" };
        var fileUpload = new Option<bool>("--file-upload") { Description = "SSH: holders may upload files, and make, rename and delete entries" };
        var browserAuthPrompts = new Option<bool>("--browser-auth-prompts")
        {
            Description = "SSH: holders may answer the target's sign-in prompts in the browser (a password or code the gateway does not hold)",
        };

        var add = new Command("add", "Add or replace a role") 
        {
            name, description, targets, labels, clipboard, noResize, maxSessions, createLinks, recording, recordInput, recordings, watchLive,
            logins, fileDownload, fileUpload, browserAuthPrompts,
        };
        add.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var selector = TargetRules.ParseLabels(r.GetValue(labels) ?? []);
            var clip = r.GetValue(clipboard);
            var role = new RoleRecord(
                r.GetValue(name)!,
                r.GetValue(description) ?? "",
                r.GetValue(targets) ?? [],
                selector.Count > 0 ? [selector] : [],
                clip is "read" or "both",
                clip is "write" or "both",
                !r.GetValue(noResize),
                r.GetValue(maxSessions),
                Declared: false)
            {
                CreateLinks = r.GetValue(createLinks),
                Recording = RecordingSettingNames.ParseMode(r.GetValue(recording)!),
                RecordInput = RecordingSettingNames.ParseInput(r.GetValue(recordInput)!),
                Recordings = RecordingSettingNames.ParseAccess(r.GetValue(recordings)!),
                WatchLive = r.GetValue(watchLive),
                Logins = r.GetValue(logins) ?? [],
                FileDownload = r.GetValue(fileDownload),
                FileUpload = r.GetValue(fileUpload),
                BrowserAuthPrompts = r.GetValue(browserAuthPrompts),
            };
            await sp.GetRequiredService<RoleService>().SaveAsync(role, CliActor, ct).ConfigureAwait(false);
            await _out.WriteLineAsync($"saved role {role.Name}").ConfigureAwait(false);
            return 0;
        }));
        roles.Add(add);

        var list = new Command("list", "List roles");
        list.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            await _out.WriteLineAsync("NAME\tTARGETS\tLABELS\tCLIPBOARD\tRESIZE\tMAX\tLINKS\tRECORDING\tINPUT\tRECORDINGS\tWATCH\tLOGINS\tFILES\tPROMPTS").ConfigureAwait(false);
            foreach (var role in await sp.GetRequiredService<IOrielStore>().ListRolesAsync(ct).ConfigureAwait(false))
            {
                var sel = string.Join(" | ", role.TargetLabels.Select(s => string.Join(",", s.Select(kv => $"{kv.Key}={kv.Value}"))));
                var clip = (role.ClipboardRead, role.ClipboardWrite) switch { (true, true) => "both", (true, false) => "read", (false, true) => "write", _ => "none" };
                await _out.WriteLineAsync(
                    $"{role.Name}\t{string.Join(",", role.TargetIds)}\t{sel}\t{clip}\t{(role.Resize ? "yes" : "no")}\t{role.MaxSessions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}\t{(role.CreateLinks ? "yes" : "no")}\t" +
                    $"{RecordingSettingNames.ToText(role.Recording)}\t{RecordingSettingNames.ToText(role.RecordInput)}\t{RecordingSettingNames.ToText(role.Recordings)}\t{(role.WatchLive ? "yes" : "no")}\t" +
                    $"{(role.Logins.Count > 0 ? string.Join(",", role.Logins) : "-")}\t{Files(role)}\t{(role.BrowserAuthPrompts ? "yes" : "no")}")
                    .ConfigureAwait(false);
            }

            return 0;
        }));
        roles.Add(list);

        var remove = new Command("remove", "Remove a role (users lose it)") { name };
        remove.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            if (!await sp.GetRequiredService<RoleService>().RemoveAsync(r.GetValue(name)!, CliActor, ct).ConfigureAwait(false))
            {
                throw new KeyNotFoundException($"no role named '{r.GetValue(name)}'");
            }

            await _out.WriteLineAsync($"removed role {r.GetValue(name)}").ConfigureAwait(false);
            return 0;
        }));
        roles.Add(remove);
        return roles;
    }

    /// <summary>The file directions a role allows, for <c>roles list</c>: none, download, upload or both.</summary>
    private static string Files(RoleRecord role) => (role.FileDownload, role.FileUpload) switch
    {
        (true, true) => "both",
        (true, false) => "download",
        (false, true) => "upload",
        _ => "none",
    };
}
