using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>Maps the session endpoints: the TDP WebSocket for rendered desktops.</summary>
public static partial class SessionEndpoints
{
    public static IServiceCollection AddOrielSessions(this IServiceCollection services)
    {
        services.AddSingleton<SessionBroker>();
        services.AddSingleton<SessionRevalidator>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRevalidator>());
        services.AddSingleton<Recordings.RecordingPaths>();
        services.AddSingleton<Recordings.RecordingService>();
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
        var ct = http.RequestAborted;

        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = "This endpoint takes a WebSocket." }, ct).ConfigureAwait(false);
            return;
        }
        var admitted = await SessionAdmission.AdmitAsync(http, targetId, "tdp", (id, why) => Log.Refused(logger, id, why),
            StatusCodes.Status501NotImplemented, nonVncError: null).ConfigureAwait(false);
        if (admitted is not { } a)
        {
            return;
        }
        var (decision, live) = a;
        var broker = services.GetRequiredService<SessionBroker>();

        live.Principal = http.User;
        try
        {
            var time = services.GetRequiredService<TimeProvider>();
            var timeouts = services.GetRequiredService<Configuration.GatewayOptions>().SessionTimeouts;
            using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var browser = new TdpChannel(socket, live, time, timeouts.BrowserCloseGrace);
            // Once the session is ended by the gateway, a browser that is not reading gets a few seconds, then is cut off.
            using var cutOff = live.Terminated.Register(() => browser.AbortSendsAfter(browser.CloseGrace));

            // Recording hook (Recordings/): one recorder per session, handed to the session, finished with the end reason.
            // Null when the role's mode is off or a best-effort recording could not be opened; a required one that
            // cannot be opened refuses the session with the reason.
            var recordings = services.GetRequiredService<Recordings.RecordingService>();
            Recordings.TdpRecorder? recorder;
            try
            {
                recorder = await recordings.StartTdpAsync(live, decision.Target!, decision.Permissions, ct).ConfigureAwait(false);
            }
            catch (SessionFailure refused)
            {
                Log.Refused(logger, targetId, "recording could not be opened");
                await audit.WriteAsync(AuditEvents.SessionDenied(live.UserName, targetId, live.ClientIp, refused.UserMessage), CancellationToken.None).ConfigureAwait(false);
                await browser.CloseAsync(refused.Reason, refused.UserMessage).ConfigureAwait(false);
                return;
            }
            using var recording = recorder;

            await audit.WriteAsync(AuditEvents.SessionStart(live), CancellationToken.None).ConfigureAwait(false);
            Log.Started(logger, live.Id, live.UserName, targetId);

            // Declared after the channel so it is disposed first, and only after the close below: its
            // disposal waits for the browser loop, which ends when the browser answers that close.
            await using var session = new VncSession(live, decision.Target!, decision.Permissions, browser, logger,
                (id, direction, bytes) => _ = audit.WriteAsync(AuditEvents.ClipboardTransfer(live, direction, bytes), CancellationToken.None),
                services.GetRequiredService<Hosting.JpegSupport>().CreateCodec(), time)
            {
                Timeouts = timeouts,
                Recorder = recorder,
            };
            var (reason, message) = await RunTdpSessionAsync(live, session, browser, timeouts, time, logger, ct).ConfigureAwait(false);

            if (recorder is not null)
            {
                await recorder.FinishAsync(reason, message).ConfigureAwait(false); // recording hook
            }
            await browser.CloseAsync(reason, message).ConfigureAwait(false);
            Log.Ended(logger, live.Id, SessionEndReasons.Code(reason), live.BytesFromTarget, live.BytesToBrowser);
            var end = AuditEvents.SessionEnd(live, reason, message, time.GetUtcNow());
            var details = end.Details!;
            recorder?.DescribeEnd(details); // recording hook
            await audit.WriteAsync(end, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            broker.Remove(live);
        }
    }

    /// <summary>A rendered session inside the shared catch ladder: the TDP handshake, then the VNC session.</summary>
    private static Task<(SessionEndReason, string)> RunTdpSessionAsync(LiveSession live, VncSession session, TdpChannel browser, SessionTimeouts timeouts, TimeProvider time,
        ILogger logger, CancellationToken requestAborted) =>
        SessionAdmission.RunAsync(live, requestAborted, async ct =>
        {
            var handshake = await ReceiveHandshakeAsync(browser, timeouts.BrowserHandshake, time, live.Id, logger, ct).ConfigureAwait(false);
            await session.RunAsync(handshake.ScreenSpec!, handshake.ResizeMode, ct).ConfigureAwait(false);
        }, ex => Log.Crashed(logger, live.Id, ex));

    /// <summary>
    /// RFD 37: username (7) then screen spec (1) come first; anything else before them is dropped, except Oriel's
    /// resize remote (107) between them, which says whether the desktop takes the browser's size as it opens
    /// (a TDP message rather than a URL parameter: the session's terms are all set in one handshake, which the
    /// sans-IO <see cref="TdpClientHandshake"/> checks and the shared vectors test, and the same message
    /// changes the choice later in the session). Returns the completed handshake. A browser that
    /// has not sent them within <paramref name="limit"/> gets a close frame saying so (the pending read is not
    /// cancelled, which would abort the socket: see <see cref="TdpChannel"/>).
    /// </summary>
    private static async Task<TdpClientHandshake> ReceiveHandshakeAsync(TdpChannel browser, TimeSpan limit, TimeProvider time, string sessionId, ILogger logger,
        CancellationToken ct)
    {
        using var timeout = new TimeLimit(limit, time, ct);
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
            catch (OperationCanceledException ex) when (timeout.Expired && !ct.IsCancellationRequested)
            {
                Log.BrowserHandshakeTimedOut(logger, sessionId, limit.TotalSeconds);
                throw new SessionFailure(SessionEndReason.BrowserProtocolError,
                    $"The browser did not start the session within {SessionTimeouts.Describe(limit)} (no TDP handshake).", ex);
            }
            if (message is null)
            {
                throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser closed the session before it started.");
            }
            if (handshake.Accept(message) == TdpHandshakeResult.Ready)
            {
                return handshake;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Session {SessionId} started: user {User}, target {TargetId}")]
        public static partial void Started(ILogger logger, string sessionId, string user, string targetId);

        [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Session {SessionId} ended: {Reason}; {BytesFromTarget} bytes from the target, {BytesToBrowser} to the browser")]
        public static partial void Ended(ILogger logger, string sessionId, string reason, long bytesFromTarget, long bytesToBrowser);

        [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Session to target {TargetId} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string targetId, string reason);

        [LoggerMessage(EventId = 3023, Level = LogLevel.Error, Message = "Session {SessionId} crashed")]
        public static partial void Crashed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = 3152, Level = LogLevel.Warning, Message = "Session {SessionId}: the browser sent no TDP handshake within {Seconds} s")]
        public static partial void BrowserHandshakeTimedOut(ILogger logger, string sessionId, double seconds);
    }
}
