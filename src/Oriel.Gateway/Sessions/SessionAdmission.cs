using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// What the session endpoints (rendered TDP and raw passthrough) share: the admission checks after the
/// endpoint's own request checks — Origin, signed-in user, the access decision, a protocol adapter that offers the
/// session's kind (asked of the <see cref="ProtocolRegistry"/>: admission names no protocol), the login asked for with
/// <c>?login=NAME</c> (<see cref="TargetLogins.Choose"/>: refused as the target is when not allowed), the broker's
/// session limit — each refusal an HTTP status and (but for 401) a <c>session.denied</c> audit event, written every
/// time for a signed-in user and through the <see cref="RefusalAuditor"/> (once per source, then counted) for anyone
/// else (<see cref="AuditRefusalAsync"/>); and the
/// one catch ladder that turns every way a session ends into a <see cref="SessionEndReason"/> and a sentence.
/// </summary>
internal static class SessionAdmission
{
    /// <summary>
    /// Runs the checks in order. Returns the decision, the admitted session and the protocol's adapter, or null when
    /// the request was refused (the response status is set, the refusal logged through <paramref name="kind"/> and audited).
    /// A target whose protocol has no adapter offering <paramref name="kind"/> gets the kind's answer
    /// (<see cref="SessionKind.RefuseUnsupportedAsync"/>).
    /// </summary>
    public static async Task<(AccessDecision Decision, LiveSession Live, IProtocolAdapter Protocol)?> AdmitAsync(HttpContext http, string targetId, SessionKind kind,
        ILogger logger)
    {
        var services = http.RequestServices;
        var audit = services.GetRequiredService<IAuditLog>();
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var ct = http.RequestAborted;

        if (!services.GetRequiredService<IOriginValidator>().IsAllowed(http))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await AuditRefusalAsync(http, AuditEvents.SessionDenied(http.User.Identity?.Name, targetId, clientIp, "origin not allowed"), "origin",
                () => kind.LogRefused(logger, targetId, "origin")).ConfigureAwait(false);
            return null;
        }
        if (http.User.Identity?.IsAuthenticated != true)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }
        var decision = await services.GetRequiredService<IAccessService>().AuthorizeSessionAsync(http.User, targetId, ct).ConfigureAwait(false);
        var login = http.Request.Query[TargetLogins.QueryName];
        decision = login.Count > 1 && decision.Allowed
            ? AccessDecision.Deny("give one login", decision.UserName, decision.UserId)
            : TargetLogins.Choose(decision, login.FirstOrDefault());
        if (!decision.Allowed || decision.Target is null)
        {
            kind.LogRefused(logger, targetId, decision.Reason ?? "not allowed");
            await audit.WriteAsync(AuditEvents.SessionDenied(decision.UserName is { Length: > 0 } u ? u : http.User.Identity?.Name, targetId, clientIp, decision.Reason ?? "not allowed"), ct).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return null;
        }
        var registry = services.GetRequiredService<ProtocolRegistry>();
        if (registry.Find(decision.Target.Protocol, kind.Name) is not { } protocol)
        {
            await kind.RefuseUnsupportedAsync(http, registry).ConfigureAwait(false);
            return null;
        }

        var broker = services.GetRequiredService<SessionBroker>();
        var live = broker.TryAdmit(decision.UserId, decision.UserName, targetId, protocol.Protocol, kind.Name, clientIp, decision.Permissions.MaxSessions ?? 0);
        if (live is null)
        {
            await audit.WriteAsync(AuditEvents.SessionDenied(decision.UserName, targetId, clientIp, "session limit reached"), ct).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return null;
        }
        live.Login = login.FirstOrDefault() is { Length: > 0 } chosen ? chosen : null;
        return (decision, live, protocol);
    }

    /// <summary>
    /// Audits and logs a refusal: every time when the request is authenticated (a signed-in user); otherwise through
    /// the <see cref="RefusalAuditor"/>, which writes the first refusal of each source and counts the rest, so requests
    /// anyone can send do not grow the audit log (or the log) without bound. <paramref name="reason"/> is a fixed code.
    /// </summary>
    public static async Task AuditRefusalAsync(HttpContext http, AuditEvent e, string reason, Action logRefused)
    {
        var services = http.RequestServices;
        if (http.User.Identity?.IsAuthenticated == true)
        {
            logRefused();
            await services.GetRequiredService<IAuditLog>().WriteAsync(e, http.RequestAborted).ConfigureAwait(false);
        }
        else if (await services.GetRequiredService<RefusalAuditor>().RefuseAsync(e, reason, http.RequestAborted).ConfigureAwait(false))
        {
            logRefused();
        }
    }

    /// <summary>
    /// The catch ladder of a session: runs <paramref name="body"/> until the session ends, cancelled when the
    /// request is aborted or the broker terminates the session, and maps how it ended to a reason and a sentence.
    /// An unexpected exception goes to <paramref name="crashed"/> (which logs it) and becomes <see cref="SessionEndReason.InternalError"/>.
    /// </summary>
    public static async Task<(SessionEndReason Reason, string Message)> RunAsync(LiveSession live, CancellationToken requestAborted,
        Func<CancellationToken, Task> body, Action<Exception> crashed)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, live.Terminated);
        try
        {
            await body(cts.Token).ConfigureAwait(false);
            return (SessionEndReason.TargetClosed, "The session ended.");
        }
        catch (SessionFailure f)
        {
            return (f.Reason, f.UserMessage);
        }
        catch (OperationCanceledException) when (live.Terminated.IsCancellationRequested)
        {
            return (SessionEndReason.Terminated, $"The session was ended by the gateway: {live.TerminationReason}.");
        }
        catch (OperationCanceledException)
        {
            return (SessionEndReason.UserDisconnected, "The browser left the session.");
        }
        catch (WebSocketException)
        {
            return (SessionEndReason.UserDisconnected, "The browser connection was lost.");
        }
        catch (Exception ex)
        {
            crashed(ex);
            return (SessionEndReason.InternalError, "The session ended because of an internal error in the gateway; it has been logged.");
        }
    }
}
