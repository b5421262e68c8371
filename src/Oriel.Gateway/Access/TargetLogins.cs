using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Access;

/// <summary>
/// Which login (remote user) a session on an SSH target signs in as. The target's own <c>Username</c> is always
/// allowed, and is the one the vault's credentials belong to; another login must be offered by the target
/// (<see cref="SshTargetSettings.Logins"/>) and allowed by a role granting the target (<see cref="SessionPermissions.Logins"/>
/// names it, or holds "*"). A session as another login gets no stored secret: the server asks, and the user answers in
/// the browser where a role allows it (<see cref="SessionPermissions.BrowserAuthPrompts"/>).
/// </summary>
public static class TargetLogins
{
    /// <summary>The query parameter of the session endpoint naming the login: <c>/api/sessions/{targetId}/tdp?login=NAME</c>.</summary>
    public const string QueryName = "login";

    /// <summary>A role's <see cref="RoleRecord.Logins"/> entry allowing every login a target offers.</summary>
    public const string Any = "*";

    /// <summary>Longest login name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>1-64 characters of ASCII letters, digits, '.', '_' and '-' (the names <see cref="SshTargetSettings"/> accepts).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>
    /// The logins the user may choose on the target, in order: the target's username first, then those it offers that a
    /// role allows. Empty for a target that is not SSH.
    /// </summary>
    public static IReadOnlyList<string> Offered(TargetRecord target, SessionPermissions permissions)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(permissions);
        if (target.Settings is not SshTargetSettings ssh)
        {
            return [];
        }

        var list = new List<string>();
        if (!string.IsNullOrEmpty(target.Username))
        {
            list.Add(target.Username);
        }

        foreach (var login in ssh.Logins)
        {
            if (Allows(permissions, login) && !list.Contains(login, StringComparer.Ordinal))
            {
                list.Add(login);
            }
        }

        return list;
    }

    /// <summary>
    /// Applies the login asked for (null or empty: the target's own username) to an allowed decision: the same decision
    /// when it is the target's username, the target with <c>Username</c> = the login and no stored secret when it is
    /// another allowed login, or a denial whose reason a user may read. A refused decision is returned as it is.
    /// </summary>
    public static AccessDecision Choose(AccessDecision decision, string? login)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!decision.Allowed || decision.Target is not { } target || string.IsNullOrEmpty(login))
        {
            return decision;
        }

        if (target.Settings is not SshTargetSettings ssh)
        {
            return Deny(decision, $"a login is chosen only on SSH targets; this is a {target.Protocol} target");
        }

        if (string.Equals(login, target.Username, StringComparison.Ordinal))
        {
            return decision;
        }

        if (!IsValidName(login))
        {
            return Deny(decision, "a login must be 1-64 characters of letters, digits, '.', '_' or '-'");
        }

        if (!ssh.Logins.Contains(login, StringComparer.Ordinal) || !Allows(decision.Permissions, login))
        {
            return Deny(decision, $"login {login} is not allowed on this target");
        }

        return decision with
        {
            Target = new ResolvedTarget
            {
                Id = target.Id,
                Name = target.Name,
                Host = target.Host,
                Port = target.Port,
                Username = login,
                Settings = target.Settings,
                Labels = target.Labels,
            },
        };
    }

    private static bool Allows(SessionPermissions permissions, string login) =>
        permissions.Logins.Contains(Any) || permissions.Logins.Contains(login);

    private static AccessDecision Deny(AccessDecision decision, string reason) => AccessDecision.Deny(reason, decision.UserName, decision.UserId);
}
