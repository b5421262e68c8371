using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;

namespace Oriel.Gateway.Links;

/// <summary>
/// <c>POST /api/links</c> makes a link: administrators for any user and target, holders of a role with
/// <c>createLinks</c> for the targets that role grants (<see cref="LinkService.WhyMayNotCreateAsync"/>); signed in with
/// a session cookie (CSRF rules apply) or an API key (docs/api-keys.md); <c>GET /link/TOKEN</c> opens one: on
/// success it sets the session cookie and redirects (302) to the viewer, otherwise it answers a small page with one
/// clear sentence (403, or 410 for used and expired links). Every answer is <c>Cache-Control: no-store</c>.
/// </summary>
public static class LinkEndpoints
{
    /// <summary>The query flag of the same-site hop (see <see cref="LinkPage.Hop"/>); it is never hopped twice.</summary>
    private const string HopFlag = "hop";

    public static IServiceCollection AddOrielLinks(this IServiceCollection services)
    {
        // Links are what make scoped sign-in sessions; this keeps them away from everything but their desktop.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, ScopedSessionAuthorizationHandler>());
        services.TryAddSingleton<DesktopLinkOptions>();
        services.TryAddSingleton(sp =>
        {
            _ = sp.GetRequiredService<SecretKeyRing>(); // creates secret.key on a first start
            return LinkSigningKey.FromSecretKeyFile(sp.GetRequiredService<GatewayOptions>().SecretKeyPath);
        });
        services.TryAddSingleton<LinkTokenCodec>();
        services.TryAddSingleton<LinkService>();
        return services;
    }

    public static IEndpointRouteBuilder MapOrielLinks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/links", CreateAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        app.MapGet(LinkPage.StylePath, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(LinkPage.Style, "text/css; charset=utf-8");
        });
        app.MapGet(CreatedLink.PathPrefix + "{token}", OpenAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(LinkCreateRequest? body, HttpContext http, LinkService links, GatewayOptions options)
    {
        if (http.User.GetSessionScope() is not null)
        {
            // ScopedSessionAuthorizationHandler refuses this already; a link must never mint links.
            return Error(StatusCodes.Status403Forbidden, SessionScope.EndpointRefused);
        }

        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var delegated = !http.User.IsAdmin();
        if (delegated && await links.WhyMayNotCreateAsync(http.User, null, null, clientIp, http.RequestAborted).ConfigureAwait(false) is { } denied)
        {
            return Error(StatusCodes.Status403Forbidden, denied);
        }

        if (string.IsNullOrWhiteSpace(body?.User) || string.IsNullOrWhiteSpace(body.Target))
        {
            return Error(StatusCodes.Status400BadRequest, "user and target are required");
        }

        if (!LinkViewers.TryParse(body.Viewer, out var viewer))
        {
            return Error(StatusCodes.Status400BadRequest, "viewer must be \"builtin\" or \"novnc\"");
        }

        if (delegated && await links.WhyMayNotCreateAsync(http.User, body.User, body.Target, clientIp, http.RequestAborted).ConfigureAwait(false) is { } refused)
        {
            return Error(StatusCodes.Status403Forbidden, refused);
        }

        CreatedLink link;
        try
        {
            link = await links.CreateAsync(body.User, body.Target, viewer.Value, body.TtlSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
                http.User.Identity?.Name ?? "admin", clientIp, http.User, http.RequestAborted).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            return Error(StatusCodes.Status403Forbidden, e.Message);
        }
        catch (KeyNotFoundException e)
        {
            return Error(StatusCodes.Status404NotFound, e.Message);
        }
        catch (ArgumentException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }

        var baseUrl = options.PublicUrls.Count > 0 ? options.PublicUrls[0] : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return Results.Json(
            new
            {
                url = link.UrlUnder(baseUrl),
                token = link.Token,
                linkId = link.LinkId,
                user = link.UserName,
                target = link.TargetId,
                viewer = LinkViewers.Name(link.Viewer),
                expiresAt = link.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
            },
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> OpenAsync(HttpContext http, string token, LinkService links)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";

        // Followed from another site, the browser leaves out the SameSite=Strict session cookie, and the gateway
        // cannot see whether someone else is signed in here. Hop once through this origin to see it.
        var fetchSite = http.Request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite is "cross-site" or "same-site" && !http.Request.Query.ContainsKey(HopFlag) && links.LooksGenuine(token))
        {
            return Results.Content(LinkPage.Hop($"{CreatedLink.PathPrefix}{token}?{HopFlag}=1"), "text/html; charset=utf-8");
        }

        var result = await links.RedeemAsync(
            token, http.User, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), http.RequestAborted).ConfigureAwait(false);
        if (result.Refusal is { } refusal)
        {
            return Results.Content(LinkPage.Refusal(refusal), "text/html; charset=utf-8", statusCode: LinkRefusals.Status(refusal));
        }

        if (result.SessionId is not null)
        {
            await http.SignInAsync(
                OrielClaims.AuthenticationScheme,
                OrielClaims.Create(result.User!, result.SessionId, result.TargetId),
                new AuthenticationProperties { IsPersistent = false, AllowRefresh = false, ExpiresUtc = result.SessionExpiresAt }).ConfigureAwait(false);
        }

        return Results.Redirect(result.ViewerPath!);
    }

    private static IResult Error(int status, string error) => Results.Json(new { error }, statusCode: status);
}
