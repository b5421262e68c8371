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

    /// <summary>
    /// The text printed once, on the console, after the first start. Its command works as printed from the
    /// directory the gateway was started in: it names <c>--data</c> (as a full path) unless the data directory is
    /// that directory's <c>./data</c>, the command line's default.
    /// </summary>
    public static string Instructions(string url, string userName, string password, string dataDirectory)
    {
        var data = Path.GetFullPath(dataDirectory);
        var command = $"oriel users passwd {userName}";
        if (data != Path.GetFullPath("data"))
        {
            command += " --data " + ShellQuote(data);
        }

        return $"""

        ==================================================================
         Oriel first start: an administrator account was created.

           Sign in at:  {url}
           Username:    {userName}
           Password:    {password}

         This password is shown only once. You must change it when you
         first sign in. Lost it? Run:
           {command}
        ==================================================================

        """;
    }

    /// <summary>A path as one POSIX shell word: bare when it holds only safe characters, else in single quotes.</summary>
    internal static string ShellQuote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ',' or ':' or '@' or '%' or '=')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// The address to print for signing in: the first public URL, else the first bound address with a wildcard
    /// host (<c>0.0.0.0</c>, <c>[::]</c>) replaced by loopback, which a browser on the same machine can open.
    /// </summary>
    public static string SignInUrl(IReadOnlyList<string> publicUrls, Uri bound)
    {
        ArgumentNullException.ThrowIfNull(publicUrls);
        ArgumentNullException.ThrowIfNull(bound);
        if (publicUrls.Count > 0)
        {
            return publicUrls[0];
        }

        var host = bound.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => null,
        };
        return host is null ? bound.ToString() : new UriBuilder(bound) { Host = host }.Uri.ToString();
    }
}
