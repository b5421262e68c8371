using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Oriel.Gateway.Identity;

/// <summary>
/// Ties the cookie to its server-side session: every request re-reads the session and the user (so sign-out,
/// password changes, user removal and admin changes take effect at once), and API callers get 401/403 rather
/// than redirects (a scoped session's 403 says why: <see cref="SessionScope.EndpointRefused"/>).
/// </summary>
public sealed class SessionCookieEvents : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
        var fresh = context.Principal is null ? null : await signIn.ValidateAsync(context.Principal, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (fresh is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(OrielClaims.AuthenticationScheme).ConfigureAwait(false);
            return;
        }

        context.ReplacePrincipal(fresh);
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.HttpContext.User.GetSessionScope() is null
            ? Task.CompletedTask
            : context.Response.WriteAsJsonAsync(new { error = SessionScope.EndpointRefused }, context.HttpContext.RequestAborted);
    }
}
