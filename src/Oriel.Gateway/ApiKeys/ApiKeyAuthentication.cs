using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.ApiKeys;

/// <summary>
/// Registration and request rules of bearer API keys. The gateway's default authentication scheme is
/// <see cref="SelectorScheme"/>: it forwards to <see cref="Scheme"/> (the key handler) when the request has an
/// <c>Authorization: Bearer</c> header, and to the session cookie otherwise. A request with a bearer header is never
/// authenticated by its cookie. Keys are for server-to-server calls: they authenticate plain HTTP requests under
/// <c>/api</c> only, never a WebSocket or any other upgrade, nor anything under <c>/api/sessions</c>.
/// </summary>
public static class ApiKeyAuthentication
{
    /// <summary>The bearer-key handler's scheme.</summary>
    public const string Scheme = "oriel-apikey";

    /// <summary>The default scheme: bearer key when one is presented, else the session cookie.</summary>
    public const string SelectorScheme = "oriel";

    /// <summary>Claim carrying the id of the key a request was authenticated with.</summary>
    public const string KeyIdClaim = "oriel:apikey";

    /// <summary>Longest Authorization header value read; a key is 56 characters with "Bearer ".</summary>
    public const int MaxHeaderLength = 256;

    private const string Bearer = "Bearer ";

    public static AuthenticationBuilder AddOrielApiKeys(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<ApiKeyThrottle>();
        builder.Services.TryAddSingleton<ApiKeyService>();
        builder.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Scheme, "API key", null);
        builder.AddPolicyScheme(SelectorScheme, "Session cookie or API key", o =>
            o.ForwardDefaultSelector = context => HasBearer(context.Request) ? Scheme : OrielClaims.AuthenticationScheme);
        return builder;
    }

    /// <summary>True when the request carries an <c>Authorization</c> header of the Bearer scheme (RFC 6750 §2.1).</summary>
    public static bool HasBearer(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var value in request.Headers.Authorization)
        {
            if (value is not null && value.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The presented secret: the one Authorization header's credentials, or null when absent, repeated or oversized.</summary>
    public static string? BearerCredentials(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || value.Length > MaxHeaderLength
            || !value.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return value[Bearer.Length..].Trim();
    }

    /// <summary>
    /// Whether a key may authenticate this request: a plain (not upgrading, not extended CONNECT) request under
    /// <c>/api</c>, outside <c>/api/sessions</c>.
    /// </summary>
    public static bool MayAuthenticate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var upgrading = request.Headers.Upgrade.Count > 0
            || HttpMethods.IsConnect(request.Method)
            || context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
            || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;
        return !upgrading
            && request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && !request.Path.StartsWithSegments("/api/sessions", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the principal was authenticated by an API key rather than a sign-in session.</summary>
    public static bool IsApiKey(this ClaimsPrincipal user) => user?.FindFirst(KeyIdClaim) is not null;

    /// <summary>The id of the key the principal was authenticated with, or null.</summary>
    public static string? GetApiKeyId(this ClaimsPrincipal user) => user?.FindFirst(KeyIdClaim)?.Value;

    /// <summary>
    /// The principal of a key: the user's id, name and admin role, and the key id; no sign-in session id and no
    /// must-change-password flag (the key, not the password, is the credential).
    /// </summary>
    internal static ClaimsPrincipal CreatePrincipal(ApiKeyRecord key, Storage.UserRecord user)
    {
        var claims = new List<Claim>
        {
            new(OrielClaims.UserId, user.Id),
            new(OrielClaims.UserName, user.Username),
            new(KeyIdClaim, key.Id),
        };
        if (user.IsAdmin)
        {
            claims.Add(new Claim(OrielClaims.Role, OrielClaims.AdminRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, OrielClaims.UserName, OrielClaims.Role));
    }
}
