using System.Text.Json.Nodes;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Identity;

/// <summary>User administration with validation and audit, shared by the CLI, the config file and the HTTP API.</summary>
public sealed class UserService(IOrielStore store, PasswordHasher hasher, IAuditLog audit, TimeProvider time)
{
    /// <summary>
    /// Creates a user. With no <paramref name="password"/> one is generated, returned, and must be changed at first
    /// sign-in. <paramref name="passwordHash"/> (from a configuration file) is stored as given.
    /// </summary>
    /// <returns>The user, and the generated password when one was generated.</returns>
    public async Task<(UserRecord User, string? GeneratedPassword)> CreateAsync(
        string username,
        string? password,
        bool isAdmin,
        IReadOnlyList<string> roles,
        bool mustChangePassword,
        string actor,
        string? passwordHash = null,
        bool declared = false,
        CancellationToken ct = default)
    {
        if (!PasswordPolicy.IsValidUsername(username))
        {
            throw new ArgumentException($"username '{username}' must be 1-64 of letters, digits . _ - @, starting with a letter or digit");
        }

        string? generated = null;
        if (passwordHash is not null)
        {
            if (!PasswordHasher.IsWellFormed(passwordHash))
            {
                throw new ArgumentException($"password hash for '{username}' is not a $pbkdf2-sha256$ hash");
            }
        }
        else
        {
            if (password is null)
            {
                password = generated = Secrets.NewPassword();
                mustChangePassword = true;
            }
            else if (!PasswordPolicy.IsAcceptable(password, out var why))
            {
                throw new ArgumentException(why);
            }

            passwordHash = hasher.Hash(password);
        }

        var user = new UserRecord(Secrets.NewUserId(), username, passwordHash, isAdmin, mustChangePassword, declared, roles, time.GetUtcNow());
        await store.CreateUserAsync(user, time.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = AuditKinds.UserAdd,
                Actor = actor,
                Target = username,
                Details = new JsonObject { ["admin"] = isAdmin, ["roles"] = string.Join(",", roles) },
            },
            ct).ConfigureAwait(false);
        return (user, generated);
    }

    public async Task<bool> RemoveAsync(string username, string actor, CancellationToken ct = default)
    {
        var user = await store.FindUserByNameAsync(username, ct).ConfigureAwait(false);
        if (user is null || !await store.DeleteUserAsync(user.Id, ct).ConfigureAwait(false))
        {
            return false;
        }

        await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.UserRemove, Actor = actor, Target = user.Username }, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// An administrator sets a user's password (generated when null; then it must be changed at next sign-in).
    /// Revokes the user's sign-in sessions. Returns the generated password, if any; throws when no such user.
    /// </summary>
    public async Task<string?> SetPasswordAsync(string username, string? password, bool mustChange, string actor, CancellationToken ct = default)
    {
        var user = await store.FindUserByNameAsync(username, ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no user named '{username}'");
        string? generated = null;
        if (password is null)
        {
            password = generated = Secrets.NewPassword();
            mustChange = true;
        }
        else if (!PasswordPolicy.IsAcceptable(password, out var why))
        {
            throw new ArgumentException(why);
        }

        await store.UpdateUserAsync(user with { PasswordHash = hasher.Hash(password), MustChangePassword = mustChange }, time.GetUtcNow(), ct).ConfigureAwait(false);
        await store.DeleteSignInSessionsForUserAsync(user.Id, null, ct).ConfigureAwait(false);
        await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.UserPassword, Actor = actor, Target = user.Username }, ct).ConfigureAwait(false);
        return generated;
    }

    /// <summary>Adds (or with <paramref name="revoke"/> removes) roles. Throws when the user or a role is missing.</summary>
    public async Task<UserRecord> GrantAsync(string username, IReadOnlyList<string> roles, bool revoke, string actor, CancellationToken ct = default)
    {
        var user = await store.FindUserByNameAsync(username, ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no user named '{username}'");
        var set = new SortedSet<string>(user.Roles, StringComparer.OrdinalIgnoreCase);
        foreach (var role in roles)
        {
            if (revoke)
            {
                set.Remove(role);
            }
            else
            {
                set.Add(role);
            }
        }

        var updated = user with { Roles = set.ToList() };
        await store.UpdateUserAsync(updated, time.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = AuditKinds.UserGrant,
                Actor = actor,
                Target = user.Username,
                Details = new JsonObject { [revoke ? "revoked" : "granted"] = string.Join(",", roles) },
            },
            ct).ConfigureAwait(false);
        return updated;
    }

    public async Task<UserRecord> SetAdminAsync(string username, bool isAdmin, string actor, CancellationToken ct = default)
    {
        var user = await store.FindUserByNameAsync(username, ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no user named '{username}'");
        var updated = user with { IsAdmin = isAdmin };
        await store.UpdateUserAsync(updated, time.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.WriteAsync(
            new AuditEvent { Kind = AuditKinds.UserUpdate, Actor = actor, Target = user.Username, Details = new JsonObject { ["admin"] = isAdmin } },
            ct).ConfigureAwait(false);
        return updated;
    }
}
