using System.Security.Claims;

namespace Oriel.Gateway.Access;

/// <summary>The session broker asks this before connecting anywhere.</summary>
public interface IAccessService
{
    /// <summary>
    /// Decides whether <paramref name="user"/> (the signed-in principal) may open a session to
    /// <paramref name="targetId"/>. The broker enforces <see cref="SessionPermissions.MaxSessions"/> by counting
    /// its live sessions.
    /// </summary>
    Task<AccessDecision> AuthorizeSessionAsync(ClaimsPrincipal user, string targetId, CancellationToken ct);
}
