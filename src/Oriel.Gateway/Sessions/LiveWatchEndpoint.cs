using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// <c>/api/sessions/live/{sessionId}/watch</c>: a read-only WebSocket onto a running rendered session (docs/live-view.md).
/// Checked like the session sockets: a WebSocket, the Origin, a signed-in user (API keys never reach
/// <c>/api/sessions</c>), then the WatchLive permission (<see cref="IAccessService.MayWatchLiveAsync"/>: 403 without it,
/// whatever the session) and the session (404 when it is not a running rendered session). The watcher gets the TDP
/// stream (<see cref="LiveWatcher"/>: a desktop's keyframes and messages, or a terminal's size, screen replay and output);
/// whatever the watcher sends is read and thrown away, so no input (a terminal's 109 included), frame ack or resize of
/// theirs ever reaches the session. Audited <c>session.watch</c> at the start and the end; the watched session
/// ending closes the socket with its sentence, and so does the watcher's own access going away (re-checked by
/// <see cref="SessionRevalidator"/>: signed out, removed, WatchLive withdrawn).
/// </summary>
internal static partial class LiveWatchEndpoint
{
    public const string Route = "/api/sessions/live/{sessionId}/watch";

    /// <summary>Largest message a watcher may send (it is discarded anyway): a handshake or an ack is a few bytes.</summary>
    private const int MaxIncomingMessageBytes = 64 * 1024;

    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    public static async Task HandleAsync(HttpContext http, string sessionId)
    {
        var services = http.RequestServices;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Oriel.LiveView");
        var ct = http.RequestAborted;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = "This endpoint takes a WebSocket." }, ct).ConfigureAwait(false);
            return;
        }
        if (!services.GetRequiredService<IOriginValidator>().IsAllowed(http))
        {
            Log.Refused(log, sessionId, "origin");
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (http.User.Identity?.IsAuthenticated != true)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var watcherName = http.User.Identity?.Name ?? "someone";
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var audit = services.GetRequiredService<IAuditLog>();
        if (!await services.GetRequiredService<IAccessService>().MayWatchLiveAsync(http.User, ct).ConfigureAwait(false))
        {
            Log.Refused(log, sessionId, "no WatchLive permission");
            await audit.WriteAsync(new Storage.AuditEvent
            {
                Kind = AuditKinds.SessionDenied,
                Actor = watcherName,
                ClientIp = clientIp,
                Details = new System.Text.Json.Nodes.JsonObject { ["reason"] = "may not watch live sessions", ["watch"] = sessionId },
            }, ct).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (services.GetRequiredService<LiveViews>().Find(sessionId) is not { } view)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var time = services.GetRequiredService<TimeProvider>();
        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var watcher = new LiveWatcher(watcherName, new LiveWatcherQueue(LiveWatcher.MaxQueuedBytes, LiveWatcher.MaxQueuedMessages, LiveWatcher.MinKeyframeInterval, time))
        {
            Principal = http.User,
        };
        using var sendAbort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        // The watcher's own access going away (SessionRevalidator) stops the view like the session's end does.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(view.Ended, watcher.Revoked, ct);
        view.Join(watcher);
        await audit.WriteAsync(LiveViewAuditEvents.Start(view.Session, watcherName, clientIp), CancellationToken.None).ConfigureAwait(false);
        Log.Started(log, view.Session.Id, watcherName);

        string reason;
        var status = WebSocketCloseStatus.NormalClosure;
        try
        {
            var pump = watcher.PumpAsync(view, m => socket.SendAsync(m, WebSocketMessageType.Binary, endOfMessage: true, sendAbort.Token), stop.Token);
            var reader = DiscardAsync(socket);
            // The session's end stops the view even while the pump is stuck sending to a watcher that does not read.
            var stopped = Task.Delay(Timeout.InfiniteTimeSpan, time, stop.Token);
            var first = await Task.WhenAny(pump, reader, stopped).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            sendAbort.CancelAfter(CloseGrace);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Stopped, or the watcher's socket failed; said below.
            }
            if (view.Ended.IsCancellationRequested && watcher.RevokedReason is null && first != reader)
            {
                // What the session sent last (a terminal's final output and its exit) is queued already: sent before the close.
                await SendRestAsync(socket, watcher.Queue, sendAbort.Token).ConfigureAwait(false);
            }
            if (watcher.RevokedReason is { } revoked)
            {
                reason = revoked;
                status = WebSocketCloseStatus.PolicyViolation;
            }
            else if (view.Ended.IsCancellationRequested)
            {
                reason = "The watched session ended: " + (view.EndMessage ?? "it is over.");
            }
            else if (first == reader && reader.Status == TaskStatus.RanToCompletion)
            {
                reason = "The watcher closed the view.";
            }
            else if (first == reader && reader.Exception?.InnerException is InvalidDataException bad)
            {
                reason = bad.Message;
                status = WebSocketCloseStatus.PolicyViolation;
            }
            else if (ct.IsCancellationRequested)
            {
                reason = "The watcher's connection was lost.";
            }
            else
            {
                reason = "The watcher's connection failed.";
            }
            await CloseAsync(socket, reader, status, reason, sendAbort.Token, time).ConfigureAwait(false);
        }
        finally
        {
            view.Leave(watcher);
        }
        Log.Ended(log, view.Session.Id, watcherName, watcher.Keyframes, watcher.Queue.Overflows);
        await audit.WriteAsync(LiveViewAuditEvents.End(view.Session, watcherName, clientIp, reason, watcher.Keyframes, watcher.Queue.Overflows), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Sends the messages still queued for a watcher of a session that ended, within the close grace; a failure only ends the sending.</summary>
    private static async Task SendRestAsync(WebSocket socket, LiveWatcherQueue queue, CancellationToken abort)
    {
        try
        {
            while (queue.TryTake(out var message))
            {
                await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, abort).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The watcher is gone or too slow: the close says the rest.
        }
    }

    /// <summary>Reads and discards what the watcher sends until it closes; a message over the cap throws <see cref="InvalidDataException"/>.</summary>
    private static async Task DiscardAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            length += result.Count;
            if (length > MaxIncomingMessageBytes)
            {
                throw new InvalidDataException($"A watcher sends nothing but acknowledgements; a message over {MaxIncomingMessageBytes} bytes was refused.");
            }
            if (result.EndOfMessage)
            {
                length = 0;
            }
        }
    }

    private static async Task CloseAsync(WebSocket socket, Task reader, WebSocketCloseStatus status, string reason, CancellationToken abort, TimeProvider time)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(status, TdpChannel.CloseReasonText(reason), abort).ConfigureAwait(false);
                await reader.WaitAsync(CloseGrace, time).ConfigureAwait(false);
            }
            else if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, abort).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException or InvalidDataException)
        {
            socket.Abort(); // the watcher is gone or did not answer the close
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3602, Level = LogLevel.Information, Message = "Session {SessionId}: {Watcher} started watching")]
        public static partial void Started(ILogger logger, string sessionId, string watcher);

        [LoggerMessage(EventId = 3603, Level = LogLevel.Information, Message = "Session {SessionId}: {Watcher} stopped watching ({Keyframes} keyframes, {Overflows} overflows)")]
        public static partial void Ended(ILogger logger, string sessionId, string watcher, int keyframes, int overflows);

        [LoggerMessage(EventId = 3604, Level = LogLevel.Warning, Message = "Watching session {SessionId} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string sessionId, string reason);
    }
}
