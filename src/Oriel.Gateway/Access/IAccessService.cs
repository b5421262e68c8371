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

    /// <summary>
    /// Whose recordings <paramref name="user"/> may list, play and export: administrators all, others the widest of
    /// their roles; nobody while a password change is pending or in a sign-in session opened by a link.
    /// </summary>
    Task<Storage.RecordingsAccess> GetRecordingsAccessAsync(ClaimsPrincipal user, CancellationToken ct);

    /// <summary>Whether <paramref name="user"/> may watch other users' live sessions (read-only): administrators, and holders of a role allowing it.</summary>
    Task<bool> MayWatchLiveAsync(ClaimsPrincipal user, CancellationToken ct);
}
