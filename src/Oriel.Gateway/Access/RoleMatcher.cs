using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Access;

/// <summary>Decides which targets a role grants.</summary>
public static class RoleMatcher
{
    /// <summary>
    /// True when the role names the target's id (or "*", every target), or when one of its label selectors
    /// matches: every key of the selector is a label of the target with an equal value ("*" matches any value of
    /// a present label). An empty selector matches nothing.
    /// </summary>
    public static bool Grants(RoleRecord role, TargetRecord target)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(target);
        if (role.TargetIds.Contains(target.Id, StringComparer.Ordinal) || role.TargetIds.Contains("*", StringComparer.Ordinal))
        {
            return true;
        }

        foreach (var selector in role.TargetLabels)
        {
            if (selector.Count > 0 && selector.All(kv => target.Labels.TryGetValue(kv.Key, out var v) && (kv.Value == "*" || kv.Value == v)))
            {
                return true;
            }
        }

        return false;
    }

    public static SessionPermissions PermissionsOf(RoleRecord role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return new(role.ClipboardRead, role.ClipboardWrite, role.Resize, role.MaxSessions)
        {
            Recording = role.Recording,
            RecordInput = role.RecordInput,
            FileDownload = role.FileDownload,
            FileUpload = role.FileUpload,
            BrowserAuthPrompts = role.BrowserAuthPrompts,
            Logins = new HashSet<string>(role.Logins, StringComparer.Ordinal),
        };
    }
}
