using System.Text.Json.Nodes;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Access;

/// <summary>Role administration with validation and audit.</summary>
public sealed class RoleService(IOrielStore store, IAuditLog audit, TimeProvider time)
{
    public async Task SaveAsync(RoleRecord role, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!Identity.PasswordPolicy.IsValidUsername(role.Name))
        {
            throw new ArgumentException($"role name '{role.Name}' must be 1-64 of letters, digits . _ - @");
        }

        if (role.MaxSessions is < 0)
        {
            throw new ArgumentException("max sessions must not be negative");
        }

        if (role.Logins.Count > Targets.TargetRules.MaxLogins)
        {
            throw new ArgumentException($"a role names at most {Targets.TargetRules.MaxLogins} logins");
        }

        foreach (var login in role.Logins)
        {
            if (login != TargetLogins.Any && !TargetLogins.IsValidName(login))
            {
                throw new ArgumentException($"login '{login}' must be \"*\" or 1-64 characters of letters, digits, '.', '_' or '-'");
            }
        }

        await store.UpsertRoleAsync(role, time.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = AuditKinds.RoleAdd,
                Actor = actor,
                Target = role.Name,
                Details = new JsonObject
                {
                    ["targets"] = string.Join(",", role.TargetIds),
                    ["labels"] = string.Join(";", role.TargetLabels.Select(s => string.Join(",", s.Select(kv => kv.Key + "=" + kv.Value)))),
                    ["clipboardRead"] = role.ClipboardRead,
                    ["clipboardWrite"] = role.ClipboardWrite,
                    ["resize"] = role.Resize,
                    ["maxSessions"] = role.MaxSessions,
                    ["createLinks"] = role.CreateLinks,
                    ["recording"] = RecordingSettingNames.ToText(role.Recording),
                    ["recordInput"] = RecordingSettingNames.ToText(role.RecordInput),
                    ["recordings"] = RecordingSettingNames.ToText(role.Recordings),
                    ["watchLive"] = role.WatchLive,
                    ["logins"] = string.Join(",", role.Logins),
                    ["fileDownload"] = role.FileDownload,
                    ["fileUpload"] = role.FileUpload,
                    ["browserAuthPrompts"] = role.BrowserAuthPrompts,
                },
            },
            ct).ConfigureAwait(false);
    }

    public async Task<bool> RemoveAsync(string name, string actor, CancellationToken ct = default)
    {
        if (!await store.DeleteRoleAsync(name, ct).ConfigureAwait(false))
        {
            return false;
        }

        await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.RoleRemove, Actor = actor, Target = name }, ct).ConfigureAwait(false);
        return true;
    }
}
