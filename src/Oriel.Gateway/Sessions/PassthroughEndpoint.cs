using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Recordings;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// <c>/api/sessions/{targetId}/rfb</c>: the authenticated passthrough channel for clients that speak RFB
/// themselves (stock noVNC), websockify-compatible (binary messages; the <c>binary</c> subprotocol is
/// accepted when offered). The browser names a target id only: a query that tries to name anything is
/// refused with 400. Checks in order: WebSocket, query, Origin, signed-in user, access to the target (the
/// same <see cref="IAccessService"/> decision as rendered sessions, so a link-token sign-in that produced a
/// cookie session works unchanged), VNC protocol, the broker's session limit. Then the gateway logs in to the
/// target with the stored credentials and offers the viewer security type None (<see cref="PassthroughRelay"/>),
/// so the browser never sees the target's password; the session is audited (start, end with bytes each way),
/// recorded to <c>DATA/recordings/&lt;sessionId&gt;.orec</c>, and ends through one catch ladder like the TDP
/// path. docs/passthrough.md.
/// </summary>
public static partial class PassthroughEndpoint
{
    public const string Route = "/api/sessions/{targetId}/rfb";
    public const string Kind = "passthrough";
    public const string BinarySubprotocol = "binary";

    /// <summary>Query parameters the endpoint understands: none. Anything else (host, port, target, ...) is refused.</summary>
    public static IReadOnlySet<string> AllowedQueryParameters { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public static async Task HandleAsync(HttpContext http, string targetId)
    {
        ArgumentNullException.ThrowIfNull(http);
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Oriel.Sessions.Passthrough");
        var audit = services.GetRequiredService<IAuditLog>();
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var ct = http.RequestAborted;

        if (!http.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(http, StatusCodes.Status400BadRequest, "This endpoint takes a WebSocket.").ConfigureAwait(false);
            return;
        }
        var unknown = http.Request.Query.Keys.Where(k => !AllowedQueryParameters.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            var reason = $"the query may not name a host, port or anything else (got: {string.Join(", ", unknown)})";
            await SessionAdmission.AuditRefusalAsync(http, AuditEvents.SessionDenied(http.User.Identity?.Name, targetId, clientIp, reason), "query",
                () => Log.Refused(logger, targetId, "query parameters")).ConfigureAwait(false);
            await RefuseAsync(http, StatusCodes.Status400BadRequest, "Refused: " + reason + ". Name the target by its id in the path only.").ConfigureAwait(false);
            return;
        }
        var admitted = await SessionAdmission.AdmitAsync(http, targetId, Kind, (id, why) => Log.Refused(logger, id, why),
            StatusCodes.Status400BadRequest, "Passthrough is offered for VNC targets only.").ConfigureAwait(false);
        if (admitted is not { } a)
        {
            return;
        }
        var (decision, live) = a;
        var broker = services.GetRequiredService<SessionBroker>();
        live.Principal = http.User; // the revalidator ends the session when sign-in or access goes away

        var time = services.GetRequiredService<TimeProvider>();
        var recordings = services.GetRequiredService<RecordingService>();
        PassthroughRecorder? recorder = null;
        try
        {
            var subprotocol = http.WebSockets.WebSocketRequestedProtocols.Contains(BinarySubprotocol, StringComparer.Ordinal) ? BinarySubprotocol : null;
            using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subprotocol }).ConfigureAwait(false);
            // Recording hook (Recordings/): null when the role's mode is off or a best-effort recording could not be opened.
            try
            {
                recorder = await recordings.StartPassthroughAsync(live, decision.Target!, decision.Permissions, ct).ConfigureAwait(false);
            }
            catch (SessionFailure refused)
            {
                await RefuseForRecordingAsync(socket, live, refused, audit, logger).ConfigureAwait(false);
                return;
            }
            await using var relay = new PassthroughRelay(socket, live, decision.Target!, recorder, logger, time,
                services.GetRequiredService<Configuration.GatewayOptions>().SessionTimeouts, services.GetRequiredService<Hosting.JpegSupport>().IsAvailable);
            await audit.WriteAsync(AuditEvents.SessionStart(live), CancellationToken.None).ConfigureAwait(false);
            Log.Started(logger, live.Id, live.UserName, targetId);

            var (reason, message) = await SessionAdmission.RunAsync(live, ct, relay.RunAsync, ex => Log.Crashed(logger, live.Id, ex)).ConfigureAwait(false);

            if (recorder is not null)
            {
                await recorder.FinishAsync(reason, message).ConfigureAwait(false); // recording hook
            }
            await relay.CloseAsync(reason, message).ConfigureAwait(false);
            Log.Ended(logger, live.Id, SessionEndReasons.Code(reason), live.BytesFromTarget, live.BytesToTarget);
            var end = AuditEvents.SessionEnd(live, reason, message, time.GetUtcNow());
            var details = end.Details!;
            recorder?.DescribeEnd(details); // recording hook
            details["replayable"] = relay.Filter.IsFollowing;
            if (relay.TargetSecurity is { } security) details["targetSecurity"] = security;
            await audit.WriteAsync(end, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            recorder?.Dispose();
            broker.Remove(live);
        }
    }

    /// <summary>
    /// A required recording could not be opened: the session does not start. The viewer gets the sentence as the
    /// WebSocket close reason (RFB has no message for it before the handshake); the refusal is audited.
    /// </summary>
    private static async Task RefuseForRecordingAsync(WebSocket socket, LiveSession live, SessionFailure refused, IAuditLog audit, ILogger logger)
    {
        Log.Refused(logger, live.TargetId, "recording could not be opened");
        await audit.WriteAsync(AuditEvents.SessionDenied(live.UserName, live.TargetId, live.ClientIp, refused.UserMessage), CancellationToken.None).ConfigureAwait(false);
        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseAsync(SessionEndReasons.CloseStatus(refused.Reason), TdpChannel.CloseReasonText(refused.UserMessage), grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The viewer is gone already.
        }
    }

    private static async Task RefuseAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new { error }, http.RequestAborted).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Passthrough session {SessionId} started: user {User}, target {TargetId}")]
        public static partial void Started(ILogger logger, string sessionId, string user, string targetId);

        [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Passthrough session {SessionId} ended: {Reason}; {BytesFromTarget} bytes from the target, {BytesToTarget} to it")]
        public static partial void Ended(ILogger logger, string sessionId, string reason, long bytesFromTarget, long bytesToTarget);

        [LoggerMessage(EventId = 3212, Level = LogLevel.Warning, Message = "Passthrough session to target {TargetId} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string targetId, string reason);

        [LoggerMessage(EventId = 3213, Level = LogLevel.Error, Message = "Passthrough session {SessionId} crashed")]
        public static partial void Crashed(ILogger logger, string sessionId, Exception exception);
    }
}
