using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>Maps the session endpoints: the TDP WebSocket for rendered desktops.</summary>
public static partial class SessionEndpoints
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddOrielSessions(this IServiceCollection services)
    {
        services.AddSingleton<SessionBroker>();
        services.AddSingleton<SessionRevalidator>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRevalidator>());
        services.AddSingleton<Recordings.RecordingPaths>();
        return services;
    }

    public static IEndpointRouteBuilder MapOrielSessions(this IEndpointRouteBuilder app)
    {
        app.Map("/api/sessions/{targetId}/tdp", HandleTdpAsync);
        app.Map(PassthroughEndpoint.Route, PassthroughEndpoint.HandleAsync);
        return app;
    }

    private static async Task HandleTdpAsync(HttpContext http, string targetId)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Oriel.Sessions");
        var audit = services.GetRequiredService<IAuditLog>();
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var ct = http.RequestAborted;

        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = "This endpoint takes a WebSocket." }, ct).ConfigureAwait(false);
            return;
        }
        if (!services.GetRequiredService<IOriginValidator>().IsAllowed(http))
        {
            Log.Refused(logger, targetId, "origin");
            await audit.WriteAsync(AuditEvents.SessionDenied(http.User.Identity?.Name, targetId, clientIp, "origin not allowed"), ct).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (http.User.Identity?.IsAuthenticated != true)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var decision = await services.GetRequiredService<IAccessService>().AuthorizeSessionAsync(http.User, targetId, ct).ConfigureAwait(false);
        if (!decision.Allowed || decision.Target is null)
        {
            Log.Refused(logger, targetId, decision.Reason ?? "not allowed");
            await audit.WriteAsync(AuditEvents.SessionDenied(decision.UserName ?? http.User.Identity?.Name, targetId, clientIp, decision.Reason ?? "not allowed"), ct).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (!string.Equals(decision.Target.Protocol, "vnc", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.StatusCode = StatusCodes.Status501NotImplemented;
            return;
        }

        var broker = services.GetRequiredService<SessionBroker>();
        var live = broker.TryAdmit(decision.UserId, decision.UserName, targetId, "vnc", "tdp", clientIp, decision.Permissions.MaxSessions ?? 0);
        if (live is null)
        {
            await audit.WriteAsync(AuditEvents.SessionDenied(decision.UserName, targetId, clientIp, "session limit reached"), ct).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return;
        }

        live.Principal = http.User;
        try
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var browser = new TdpChannel(socket, live);
            await audit.WriteAsync(AuditEvents.SessionStart(live), CancellationToken.None).ConfigureAwait(false);
            Log.Started(logger, live.Id, live.UserName, targetId);

            var (reason, message) = await RunTdpSessionAsync(live, decision, browser, logger, audit, ct).ConfigureAwait(false);

            await browser.CloseAsync(reason, message, CancellationToken.None).ConfigureAwait(false);
            Log.Ended(logger, live.Id, SessionEndReasons.Code(reason), live.BytesFromTarget, live.BytesToBrowser);
            await audit.WriteAsync(AuditEvents.SessionEnd(live, reason, message, services.GetRequiredService<TimeProvider>().GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            broker.Remove(live);
        }
    }

    /// <summary>The one catch ladder of a rendered session: every way it can end becomes a reason and a sentence.</summary>
    private static async Task<(SessionEndReason, string)> RunTdpSessionAsync(LiveSession live, AccessDecision decision, TdpChannel browser, ILogger logger, IAuditLog audit, CancellationToken requestAborted)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, live.Terminated);
        try
        {
            var screen = await ReceiveHandshakeAsync(browser, cts.Token).ConfigureAwait(false);
            await using var session = new VncSession(live, decision.Target!, decision.Permissions, browser, logger,
                (id, direction, bytes) => _ = audit.WriteAsync(AuditEvents.ClipboardTransfer(live, direction, bytes), CancellationToken.None));
            await session.RunAsync(screen, cts.Token).ConfigureAwait(false);
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
            Log.Crashed(logger, live.Id, ex);
            return (SessionEndReason.InternalError, "The session ended because of an internal error in the gateway; it has been logged.");
        }
    }

    /// <summary>RFD 37: username (7) then screen spec (1) come first; anything else before them is dropped.</summary>
    private static async Task<ClientScreenSpecMessage> ReceiveHandshakeAsync(TdpChannel browser, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HandshakeTimeout);
        var handshake = new TdpClientHandshake();
        while (true)
        {
            TdpMessage? message;
            try
            {
                message = await browser.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (DecodeException ex)
            {
                throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: the browser sent a message Oriel could not accept ({ex.Message}).", ex);
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
            {
                throw new SessionFailure(SessionEndReason.BrowserProtocolError, "The browser did not start the session in time.", ex);
            }
            if (message is null)
            {
                throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser closed the session before it started.");
            }
            if (handshake.Accept(message) == TdpHandshakeResult.Ready)
            {
                return handshake.ScreenSpec!;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Session {SessionId} started: user {User}, target {TargetId}")]
        public static partial void Started(ILogger logger, string sessionId, string user, string targetId);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Session {SessionId} ended: {Reason}; {BytesFromTarget} bytes from the target, {BytesToBrowser} to the browser")]
        public static partial void Ended(ILogger logger, string sessionId, string reason, long bytesFromTarget, long bytesToBrowser);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Session to target {TargetId} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string targetId, string reason);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Session {SessionId} crashed")]
        public static partial void Crashed(ILogger logger, string sessionId, Exception exception);
    }
}
