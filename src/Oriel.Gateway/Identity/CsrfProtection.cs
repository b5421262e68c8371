using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Identity;

/// <summary>
/// Cross-site request forgery defence for <c>/api</c>, in three independent layers; a state-changing request
/// (POST, PUT, PATCH, DELETE) must pass all of them:
/// <list type="number">
/// <item>Origin: when the browser sends an Origin header it must be this gateway (<see cref="IOriginValidator"/>).</item>
/// <item>Double-submit token: header <c>X-Oriel-Csrf</c> must equal the <c>oriel_csrf</c> cookie. The cookie is
/// random, SameSite=Strict and readable by the page's script; another site can neither read it nor set the
/// custom header without a CORS preflight, which the gateway never grants.</item>
/// <item>Content type: a request with a body must be <c>application/json</c> (HTML forms cannot send it), or
/// <c>application/octet-stream</c> on an endpoint marked <see cref="OctetStreamBodyAllowed"/> (nor can they send that).</item>
/// </list>
/// The token cookie is issued on any response that lacks it; <c>GET /api/auth/csrf</c> also returns it as JSON.
/// <para>
/// A server-to-server call with an API key carries no ambient credential a browser could be tricked into sending,
/// so layer 2 does not apply to it, and only to it: a request that has <em>no</em> session cookie and a
/// <em>valid</em> <c>Authorization: Bearer</c> key (<see cref="ApiKeys.ApiKeyAuthentication"/>). A request with a
/// session cookie needs the token whatever else it carries; a bearer key that is not valid is answered 401 (429
/// when throttled) here, before anything else runs. Layers 1 and 3 apply to every request.
/// </para>
/// <para>
/// A refusal is audited as <see cref="AuditKinds.RequestRefused"/> and logged (event 2005): every time when the
/// request is authenticated (a valid session cookie, or a valid key); otherwise through the
/// <see cref="RefusalAuditor"/> (the first per address and reason in full, the rest counted into
/// <c>audit.refusals</c> summaries), so a flood of forged requests from anyone grows neither the audit log nor the
/// log without bound.
/// </para>
/// </summary>
public sealed class CsrfProtection(RequestDelegate next, IOriginValidator origins, ILogger<CsrfProtection> log)
{
    public const string CookieName = "oriel_csrf";
    public const string HeaderName = "X-Oriel-Csrf";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = EnsureToken(context);
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && IsStateChanging(request.Method))
        {
            var keyRequest = ApiKeys.ApiKeyAuthentication.HasBearer(request) && !HasSessionCookie(request);
            if (keyRequest && !(await context.AuthenticateAsync(ApiKeys.ApiKeyAuthentication.Scheme).ConfigureAwait(false)).Succeeded)
            {
                await context.ChallengeAsync(ApiKeys.ApiKeyAuthentication.Scheme).ConfigureAwait(false);
                return;
            }

            var why = Check(context, token, checkToken: !keyRequest);
            if (why is not null)
            {
                await AuditRefusalAsync(context, why, keyRequest).ConfigureAwait(false);
                context.Response.StatusCode = why == UnsupportedMediaType ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new { error = why }, context.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private const string CrossOrigin = "cross-origin request refused";
    private const string MissingToken = "missing or wrong " + HeaderName + " header";
    private const string UnsupportedMediaType = "request body must be application/json";

    /// <summary>Longest path kept in an audit row (the path is the client's text).</summary>
    private const int MaxAuditedPath = 200;

    /// <summary>
    /// Audits and logs the refusal <paramref name="why"/> (one of the three fixed sentences of <see cref="Check"/>).
    /// Who is refused is known only here, before the authentication middleware: a key request has been authenticated
    /// already; a request with a session cookie is authenticated by the cookie (the handler caches the result for the
    /// rest of the request). Anyone else goes through the <see cref="RefusalAuditor"/>, whose source is the address
    /// and a fixed reason code, never the path.
    /// </summary>
    private async Task AuditRefusalAsync(HttpContext context, string why, bool keyRequest)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (path.Length > MaxAuditedPath)
        {
            path = path[..MaxAuditedPath];
        }

        ClaimsPrincipal? user = null;
        if (keyRequest)
        {
            user = (await context.AuthenticateAsync(ApiKeys.ApiKeyAuthentication.Scheme).ConfigureAwait(false)).Principal;
        }
        else if (HasSessionCookie(request))
        {
            user = (await context.AuthenticateAsync(OrielClaims.AuthenticationScheme).ConfigureAwait(false)).Principal;
        }

        var signedIn = user?.Identity?.IsAuthenticated == true;
        var e = new AuditEvent
        {
            Kind = AuditKinds.RequestRefused,
            Actor = signedIn ? user!.Identity!.Name : null,
            ClientIp = context.Connection.RemoteIpAddress?.ToString(),
            Details = new JsonObject { ["method"] = request.Method, ["path"] = path, ["reason"] = why },
        };
        var services = context.RequestServices;
        if (signedIn)
        {
            Log.CsrfRejected(log, request.Method, path, why);
            await services.GetRequiredService<IAuditLog>().WriteAsync(e, context.RequestAborted).ConfigureAwait(false);
        }
        else if (await services.GetRequiredService<RefusalAuditor>().RefuseAsync(e, ReasonCode(why), context.RequestAborted).ConfigureAwait(false))
        {
            Log.CsrfRejected(log, request.Method, path, why);
        }
    }

    /// <summary>The short, fixed code of a refusal sentence: the <see cref="RefusalAuditor"/>'s reason.</summary>
    private static string ReasonCode(string why) => why switch
    {
        CrossOrigin => "origin",
        MissingToken => "csrf-token",
        _ => "content-type",
    };

    /// <summary>The request's token, issuing a new cookie when it has none.</summary>
    public static string EnsureToken(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(CookieName, out var existing) && existing is string s)
        {
            return s;
        }

        var token = context.Request.Cookies[CookieName];
        if (string.IsNullOrEmpty(token) || token.Length is < 20 or > 100)
        {
            token = Security.Secrets.NewToken();
            context.Response.Cookies.Append(CookieName, token, new CookieOptions
            {
                HttpOnly = false,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                IsEssential = true,
            });
        }

        context.Items[CookieName] = token;
        return token;
    }

    /// <summary>True when the request carries the session cookie (or a chunk of it), valid or not.</summary>
    private static bool HasSessionCookie(HttpRequest request) =>
        request.Cookies.Keys.Any(k => k.StartsWith(Hosting.GatewayHost.CookieName, StringComparison.Ordinal));

    private string? Check(HttpContext context, string cookieToken, bool checkToken)
    {
        var request = context.Request;
        if (request.Headers.Origin.Count > 0 && !origins.IsAllowed(context))
        {
            return CrossOrigin;
        }

        var header = request.Headers[HeaderName];
        if (checkToken && (header.Count != 1 || string.IsNullOrEmpty(header[0]) || request.Cookies[CookieName] is null
            || !Security.Secrets.FixedTimeEquals(header[0]!, cookieToken)))
        {
            return MissingToken;
        }

        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody && request.HasJsonContentType() == false
            && !(context.GetEndpoint()?.Metadata.GetMetadata<OctetStreamBodyAllowed>() is not null && OctetStreamBodyAllowed.IsOctetStream(request.ContentType)))
        {
            return UnsupportedMediaType;
        }

        return null;
    }

    private static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);
}
