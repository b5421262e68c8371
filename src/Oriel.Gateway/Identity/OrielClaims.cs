using System.Security.Claims;

namespace Oriel.Gateway.Identity;

/// <summary>Claim types in the signed-in principal. The principal is rebuilt from the database on every request.</summary>
public static class OrielClaims
{
    public const string UserId = "oriel:uid";
    public const string UserName = ClaimTypes.Name;
    public const string SessionId = "oriel:sid";
    public const string Role = ClaimTypes.Role;
    public const string MustChangePassword = "oriel:must_change_password";

    /// <summary>The one target a sign-in session opened by a Web Desktop link may reach (see <see cref="SessionScope"/>).</summary>
    public const string Scope = "oriel:scope";

    /// <summary>The role claim value admins carry.</summary>
    public const string AdminRole = "admin";

    public const string AuthenticationScheme = "oriel-cookie";

    public static string? GetUserId(this ClaimsPrincipal user) => user?.FindFirst(UserId)?.Value;

    public static string? GetSessionId(this ClaimsPrincipal user) => user?.FindFirst(SessionId)?.Value;

    public static bool IsAdmin(this ClaimsPrincipal user) => user?.IsInRole(AdminRole) == true;

    public static bool MustChangePasswordNow(this ClaimsPrincipal user) => user?.HasClaim(MustChangePassword, "true") == true;

    /// <summary>The target id this principal's sign-in session is limited to, or null when it is not limited.</summary>
    public static string? GetSessionScope(this ClaimsPrincipal user) => user?.FindFirst(Scope)?.Value;

    /// <summary>
    /// The principal of a sign-in session. With <paramref name="scopeTargetId"/> (a session opened by a Web Desktop
    /// link) it carries the scope and never the administrator role: a link grants one desktop, not administration.
    /// </summary>
    internal static ClaimsPrincipal Create(Storage.UserRecord user, string sessionId, string? scopeTargetId = null)
    {
        var claims = new List<Claim>
        {
            new(UserId, user.Id),
            new(UserName, user.Username),
            new(SessionId, sessionId),
        };
        if (scopeTargetId is not null)
        {
            claims.Add(new Claim(Scope, scopeTargetId));
        }
        else if (user.IsAdmin)
        {
            claims.Add(new Claim(Role, AdminRole));
        }

        if (user.MustChangePassword)
        {
            claims.Add(new Claim(MustChangePassword, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationScheme, UserName, Role));
    }
}
