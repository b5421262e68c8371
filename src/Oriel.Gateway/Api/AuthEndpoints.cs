using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Oriel.Gateway.Access;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Api;

/// <summary>
/// <c>GET /api/auth/csrf</c>, <c>POST /api/auth/signin</c>, <c>POST /api/auth/signout</c>,
/// <c>POST /api/auth/password</c>, <c>GET /api/me</c> (with <c>scope</c>, the one target of a session a link opened,
/// see <see cref="SessionScope"/>, and <c>recordings</c>: none, own or all, which recordings the user may see). POSTs need the CSRF header (see <see cref="CsrfProtection"/>).
/// </summary>
public static class AuthEndpoints
{
    private const string InvalidCredentials = "invalid username or password";

    public static IEndpointRouteBuilder MapOrielAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/auth/csrf", (HttpContext http) => Results.Json(new { token = CsrfProtection.EnsureToken(http) }));

        app.MapPost("/api/auth/signin", SignInAsync);

        app.MapPost("/api/auth/signout", async (HttpContext http, SignInService signIn) =>
        {
            if (http.User.Identity?.IsAuthenticated == true)
            {
                await signIn.SignOutAsync(http.User, ClientIp(http), http.RequestAborted).ConfigureAwait(false);
            }

            await http.SignOutAsync(OrielClaims.AuthenticationScheme).ConfigureAwait(false);
            return Results.NoContent();
        });

        app.MapPost("/api/auth/password", async (PasswordChangeRequest? body, HttpContext http, SignInService signIn, IAccessService access) =>
        {
            if (body?.CurrentPassword is null || body.NewPassword is null)
            {
                return Results.Json(new { error = "currentPassword and newPassword are required" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var (error, throttled) = await signIn.ChangePasswordAsync(http.User, body.CurrentPassword, body.NewPassword, ClientIp(http), http.RequestAborted)
                .ConfigureAwait(false);
            if (error is not null)
            {
                return Results.Json(new { error }, statusCode: throttled ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest);
            }

            return Results.Json(await MeAsync(http.User, mustChange: false, access, http.RequestAborted).ConfigureAwait(false));
        }).RequireAuthorization();

        app.MapGet("/api/me", async (HttpContext http, IAccessService access) =>
                Results.Json(await MeAsync(http.User, http.User.MustChangePasswordNow(), access, http.RequestAborted).ConfigureAwait(false)))
            .RequireAuthorization().AllowScopedSessions();
        return app;
    }

    private static async Task<IResult> SignInAsync(SignInRequest? body, HttpContext http, SignInService signIn, IAccessService access)
    {
        if (string.IsNullOrEmpty(body?.Username) || body.Password is null)
        {
            return Results.Json(new { error = "username and password are required" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var result = await signIn.SignInAsync(body.Username, body.Password, ClientIp(http), http.Request.Headers.UserAgent.ToString(), http.RequestAborted)
            .ConfigureAwait(false);
        switch (result.Outcome)
        {
            case SignInOutcome.Throttled:
                var seconds = (long)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds);
                http.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
                return Results.Json(new { error = "too many failed sign-ins; try again later" }, statusCode: StatusCodes.Status429TooManyRequests);
            case SignInOutcome.InvalidCredentials:
                return Results.Json(new { error = InvalidCredentials }, statusCode: StatusCodes.Status401Unauthorized);
        }

        // Rotate: the session the request came with (if any) ends; a new id is issued.
        if (http.User.GetSessionId() is { } previous)
        {
            await signIn.RevokeAsync(previous, http.RequestAborted).ConfigureAwait(false);
        }

        var principal = OrielClaims.Create(result.User!, result.SessionId!);
        await http.SignInAsync(OrielClaims.AuthenticationScheme, principal, new AuthenticationProperties { IsPersistent = false }).ConfigureAwait(false);
        return Results.Json(await MeAsync(principal, result.User!.MustChangePassword, access, http.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<object> MeAsync(ClaimsPrincipal user, bool mustChange, IAccessService access, CancellationToken ct)
    {
        var recordings = mustChange ? RecordingsAccess.None : await access.GetRecordingsAccessAsync(user, ct).ConfigureAwait(false);
        return new
        {
            username = user.Identity?.Name ?? "",
            isAdmin = user.IsAdmin(),
            mustChangePassword = mustChange,
            scope = user.GetSessionScope(),
            recordings = recordings switch
            {
                RecordingsAccess.All => "all",
                RecordingsAccess.Own => "own",
                _ => "none",
            },
        };
    }

    internal static string? ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();
}
