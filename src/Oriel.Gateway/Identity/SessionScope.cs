using System.Security.Claims;
using Microsoft.AspNetCore.Builder;

namespace Oriel.Gateway.Identity;

/// <summary>
/// Scoped sign-in sessions: a session opened by a Web Desktop link reaches only the link's target
/// (docs/links.md, "Scope"). The scope is stored with the session row and surfaced as <see cref="OrielClaims.Scope"/>.
/// Three places enforce it: <c>AccessService.AuthorizeSessionAsync</c> (desktops, also for live sessions through the
/// revalidator), <c>AccessService.ListAccessibleTargetsAsync</c> (the target list), and
/// <see cref="ScopedSessionAuthorizationHandler"/>, which refuses every endpoint that requires authorization unless it
/// was marked with <see cref="AllowScopedSessions{TBuilder}"/>.
/// </summary>
public static class SessionScope
{
    /// <summary>Why a scoped session may not open another target.</summary>
    public const string OtherTarget = "this sign-in was opened by a link for another desktop";

    /// <summary>Why a scoped session may not use an endpoint that was not opened to it.</summary>
    public const string EndpointRefused = "this sign-in was opened by a link and only opens its desktop; sign in with your password for anything else";

    /// <summary>Whether <paramref name="user"/> may reach <paramref name="targetId"/> as far as its scope goes (roles are checked elsewhere).</summary>
    public static bool Permits(ClaimsPrincipal user, string targetId) =>
        user.GetSessionScope() is not { } scope || string.Equals(scope, targetId, StringComparison.Ordinal);

    /// <summary>Opens an endpoint that requires authorization to scoped sessions too (read-only endpoints that honour the scope).</summary>
    public static TBuilder AllowScopedSessions<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(ScopedSessionsAllowed.Instance);
    }
}
