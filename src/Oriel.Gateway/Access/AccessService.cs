using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Access;

/// <summary>
/// Role-based access to targets. Administrators reach every target with <see cref="SessionPermissions.Full"/>;
/// other users reach the targets their roles grant, with the union of those roles' permissions.
/// Users who must change their password reach nothing until they do. A sign-in session opened by a Web Desktop
/// link reaches only its one target (<see cref="SessionScope"/>).
/// </summary>
public sealed class AccessService(IOrielStore store, TargetSecretProtector secrets, ILogger<AccessService> log) : IAccessService
{
    private const string NotAvailable = "target not found or access denied";

    public async Task<AccessDecision> AuthorizeSessionAsync(ClaimsPrincipal user, string targetId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var record = user.GetUserId() is { } id ? await store.FindUserByIdAsync(id, ct).ConfigureAwait(false) : null;
        if (record is null)
        {
            return AccessDecision.Deny("not signed in");
        }

        if (record.MustChangePassword)
        {
            return AccessDecision.Deny("password change required", record.Username, record.Id);
        }

        if (!SessionScope.Permits(user, targetId))
        {
            Log.SessionDenied(log, targetId, record.Username, SessionScope.OtherTarget);
            return AccessDecision.Deny(SessionScope.OtherTarget, record.Username, record.Id);
        }

        var target = TargetRules.IsValidId(targetId) ? await store.FindTargetAsync(targetId, ct).ConfigureAwait(false) : null;
        var permissions = target is null ? null : PermissionsFor(record, target, await store.ListRolesAsync(ct).ConfigureAwait(false));
        if (target is null || permissions is null)
        {
            Log.SessionDenied(log, targetId, record.Username, NotAvailable);
            return AccessDecision.Deny(NotAvailable, record.Username, record.Id);
        }

        string? password, privateKey, passphrase;
        try
        {
            password = Decrypt(target, TargetSecretKind.Password, target.PasswordCiphertext);
            privateKey = Decrypt(target, TargetSecretKind.PrivateKey, target.PrivateKeyCiphertext);
            passphrase = Decrypt(target, TargetSecretKind.PrivateKeyPassphrase, target.PrivateKeyPassphraseCiphertext);
        }
        catch (CryptographicException)
        {
            Log.TargetSecretUnreadable(log, target.Id);
            return AccessDecision.Deny("the target's stored credentials cannot be read; ask an administrator", record.Username, record.Id);
        }

        return new AccessDecision
        {
            Allowed = true,
            UserName = record.Username,
            UserId = record.Id,
            Permissions = permissions,
            Target = new ResolvedTarget
            {
                Id = target.Id,
                Name = target.Name,
                Host = target.Host,
                Port = target.Port,
                Username = target.Username,
                Password = password,
                PrivateKey = privateKey,
                PrivateKeyPassphrase = passphrase,
                Settings = target.Settings,
                Labels = target.Labels,
            },
        };
    }

    private string? Decrypt(TargetRecord target, TargetSecretKind kind, string? ciphertext) =>
        ciphertext is null ? null : secrets.Unprotect(target.Id, kind, ciphertext);

    /// <summary>The targets the user may reach (none while a password change is pending), by name.</summary>
    public Task<IReadOnlyList<TargetAccess>> ListAccessibleTargetsAsync(string userId, CancellationToken ct) =>
        ListAccessibleTargetsAsync(userId, null, ct);

    /// <summary>
    /// The targets the user may reach, by name; with <paramref name="scopeTargetId"/> (a sign-in session opened by a
    /// link, <see cref="OrielClaims.GetSessionScope"/>) at most that one.
    /// </summary>
    public async Task<IReadOnlyList<TargetAccess>> ListAccessibleTargetsAsync(string userId, string? scopeTargetId, CancellationToken ct)
    {
        var user = await store.FindUserByIdAsync(userId, ct).ConfigureAwait(false);
        if (user is null || user.MustChangePassword)
        {
            return [];
        }

        var roles = await store.ListRolesAsync(ct).ConfigureAwait(false);
        var list = new List<TargetAccess>();
        foreach (var target in await store.ListTargetsAsync(ct).ConfigureAwait(false))
        {
            if (scopeTargetId is not null && !string.Equals(target.Id, scopeTargetId, StringComparison.Ordinal))
            {
                continue;
            }

            if (PermissionsFor(user, target, roles) is { } p)
            {
                list.Add(new TargetAccess(target, p));
            }
        }

        return list;
    }

    public async Task<RecordingsAccess> GetRecordingsAccessAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await HolderAsync(user, ct).ConfigureAwait(false) is not { } record)
        {
            return RecordingsAccess.None;
        }

        if (record.IsAdmin)
        {
            return RecordingsAccess.All;
        }

        var access = RecordingsAccess.None;
        foreach (var role in HeldRoles(record, await store.ListRolesAsync(ct).ConfigureAwait(false)))
        {
            access = (RecordingsAccess)Math.Max((int)access, (int)role.Recordings);
        }

        return access;
    }

    public async Task<bool> MayWatchLiveAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await HolderAsync(user, ct).ConfigureAwait(false) is not { } record)
        {
            return false;
        }

        return record.IsAdmin || HeldRoles(record, await store.ListRolesAsync(ct).ConfigureAwait(false)).Any(r => r.WatchLive);
    }

    /// <summary>The signed-in user, unless a password change is pending or the sign-in was opened by a link (scoped to one target).</summary>
    private async Task<UserRecord?> HolderAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.GetSessionScope() is not null || user.GetUserId() is not { } id)
        {
            return null;
        }

        var record = await store.FindUserByIdAsync(id, ct).ConfigureAwait(false);
        return record is null || record.MustChangePassword ? null : record;
    }

    private static IEnumerable<RoleRecord> HeldRoles(UserRecord user, IReadOnlyList<RoleRecord> allRoles) =>
        allRoles.Where(r => user.Roles.Contains(r.Name, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The user's permissions on the target, or null when no role grants it. Administrators get
    /// <see cref="SessionPermissions.Full"/> (every file direction, browser prompts, any login the target offers), recorded best-effort unless a role of theirs granting the target asks for
    /// more (required, or more input).
    /// </summary>
    public static SessionPermissions? PermissionsFor(UserRecord user, TargetRecord target, IReadOnlyList<RoleRecord> allRoles)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(allRoles);
        if (user.IsAdmin)
        {
            var full = SessionPermissions.Full;
            foreach (var role in HeldRoles(user, allRoles))
            {
                if (RoleMatcher.Grants(role, target))
                {
                    full = full with
                    {
                        Recording = role.Recording == RecordingMode.Required ? RecordingMode.Required : full.Recording,
                        RecordInput = (InputRecording)Math.Max((int)full.RecordInput, (int)role.RecordInput),
                    };
                }
            }

            return full;
        }

        SessionPermissions? result = null;
        foreach (var role in allRoles)
        {
            if (user.Roles.Contains(role.Name, StringComparer.OrdinalIgnoreCase) && RoleMatcher.Grants(role, target))
            {
                var p = RoleMatcher.PermissionsOf(role);
                result = result is null ? p : result.Union(p);
            }
        }

        return result;
    }
}
