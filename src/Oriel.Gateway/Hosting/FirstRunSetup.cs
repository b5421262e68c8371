using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Hosting;

/// <summary>On a database with no users, creates the administrator "admin" with a one-time password.</summary>
public sealed class FirstRunSetup(IOrielStore store, UserService users, IAuditLog audit, ILogger<FirstRunSetup> log)
{
    public const string AdminUserName = "admin";

    /// <summary>Returns the generated credentials when an administrator was created, else null.</summary>
    public async Task<(string UserName, string Password)?> EnsureAdminAsync(CancellationToken ct = default)
    {
        if (await store.CountUsersAsync(ct).ConfigureAwait(false) > 0)
        {
            return null;
        }

        try
        {
            var (user, password) = await users.CreateAsync(AdminUserName, null, isAdmin: true, [], mustChangePassword: true, actor: "oriel", ct: ct)
                .ConfigureAwait(false);
            await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.FirstRunAdmin, Actor = "oriel", Target = user.Username }, ct).ConfigureAwait(false);
            Log.FirstRunAdminCreated(log, user.Username);
            return (user.Username, password!);
        }
        catch (StoreConflictException)
        {
            return null; // another gateway sharing the database won the race
        }
    }

    /// <summary>The text printed once, on the console, after the first start.</summary>
    public static string Instructions(string url, string userName, string password) =>
        $"""

        ==================================================================
         Oriel first start: an administrator account was created.

           Sign in at:  {url}
           Username:    {userName}
           Password:    {password}

         This password is shown only once. You must change it when you
         first sign in. (Lost it? Run: oriel users passwd {userName})
        ==================================================================

        """;
}
