using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Oriel.Gateway.Identity;

/// <summary>
/// Deny by default for scoped sign-in sessions: runs with every authorization policy and fails it when the principal
/// carries <see cref="OrielClaims.Scope"/> and the endpoint lacks <see cref="ScopedSessionsAllowed"/>. So account
/// changes (<c>/api/auth/password</c>), administrator APIs, <c>/api/links</c> and any endpoint added later answer 403 to a
/// browser a link signed in. Endpoints without an authorization requirement (sign-in, sign-out) are not affected.
/// </summary>
public sealed class ScopedSessionAuthorizationHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.GetSessionScope() is null)
        {
            return Task.CompletedTask;
        }

        var endpoint = context.Resource switch
        {
            HttpContext http => http.GetEndpoint(),
            Endpoint e => e,
            _ => null,
        };
        if (endpoint?.Metadata.GetMetadata<ScopedSessionsAllowed>() is null)
        {
            context.Fail(new AuthorizationFailureReason(this, SessionScope.EndpointRefused));
        }

        return Task.CompletedTask;
    }
}
