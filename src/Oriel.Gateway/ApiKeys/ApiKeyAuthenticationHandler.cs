using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.ApiKeys;

/// <summary>
/// Authenticates <c>Authorization: Bearer oriel_…</c> (RFC 6750 §2.1) through <see cref="ApiKeyService"/>. Refuses
/// (fails, so the request is anonymous) any request a key may not authenticate (<see cref="ApiKeyAuthentication.MayAuthenticate"/>):
/// the session WebSockets then answer 401 as for anyone not signed in. A challenge answers 401 with
/// <c>WWW-Authenticate: Bearer</c>, or 429 with <c>Retry-After</c> when the address is throttled.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyService keys,
    RefusalAuditor refusals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string RetryAfterItem = "oriel:apikey-retry-after";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiKeyAuthentication.HasBearer(Request))
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiKeyAuthentication.MayAuthenticate(Context))
        {
            var path = Request.Path.Value ?? "";
            var e = new AuditEvent
            {
                Kind = ApiKeyAuditKinds.WrongUse,
                ClientIp = Context.Connection.RemoteIpAddress?.ToString(),
                Details = new JsonObject { ["method"] = Request.Method, ["path"] = path.Length > 200 ? path[..200] : path },
            };
            if (await refusals.RefuseAsync(e, "not-an-api-call", Context.RequestAborted).ConfigureAwait(false))
            {
                ApiKeyLog.WrongUse(Logger, Request.Method, path);
            }

            return AuthenticateResult.Fail("API keys authenticate API calls only, never sessions or pages");
        }

        var check = await keys.AuthenticateAsync(
            ApiKeyAuthentication.BearerCredentials(Request), Context.Connection.RemoteIpAddress?.ToString(), Context.RequestAborted).ConfigureAwait(false);
        if (check.RetryAfter is { } wait)
        {
            Context.Items[RetryAfterItem] = wait;
            return AuthenticateResult.Fail("too many failed API keys from this address");
        }

        if (!check.Succeeded)
        {
            return AuthenticateResult.Fail("invalid API key");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(ApiKeyAuthentication.CreatePrincipal(check.Key!, check.User!), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (Context.Items.TryGetValue(RetryAfterItem, out var item) && item is TimeSpan wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Response.WriteAsJsonAsync(new { error = "too many failed API keys from this address; try again later" }, Context.RequestAborted)
                .ConfigureAwait(false);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer realm=\"oriel\"" : "Bearer realm=\"oriel\", error=\"invalid_token\"";
        await Response.WriteAsJsonAsync(
            new { error = result.Failure is null ? "an API key is required" : "the API key is not valid (unknown, revoked or expired)" },
            Context.RequestAborted).ConfigureAwait(false);
    }
}
