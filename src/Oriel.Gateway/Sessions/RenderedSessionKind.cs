using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Rendered sessions (<see cref="SessionKinds.Rendered"/>, <c>/api/sessions/{targetId}/tdp</c>): the browser speaks TDP,
/// the gateway renders the target (<see cref="RenderedSession"/>). A target whose protocol renders nothing gets 501.
/// </summary>
internal sealed partial class RenderedSessionKind : SessionKind
{
    public static RenderedSessionKind Instance { get; } = new();

    public override string Name => SessionKinds.Rendered;

    public override string LoggerCategory => "Oriel.Sessions";

    public override Task RefuseUnsupportedAsync(HttpContext http, ProtocolRegistry registry)
    {
        http.Response.StatusCode = StatusCodes.Status501NotImplemented;
        return Task.CompletedTask;
    }

    public override ValueTask<IBrowserSession> OpenAsync(SessionSetup setup, CancellationToken ct) => ValueTask.FromResult<IBrowserSession>(new RenderedSession(setup));

    public override async Task RefuseAsync(SessionSetup setup, SessionFailure refusal)
    {
        using var browser = new TdpChannel(setup.Socket, setup.Live, setup.Time, setup.Timeouts.BrowserCloseGrace);
        await browser.CloseAsync(refusal.Reason, refusal.UserMessage).ConfigureAwait(false);
    }

    public override void LogStarted(ILogger logger, LiveSession live) => Log.Started(logger, live.Id, live.UserName, live.TargetId);

    public override void LogEnded(ILogger logger, LiveSession live, SessionEndReason reason) =>
        Log.Ended(logger, live.Id, SessionEndReasons.Code(reason), live.BytesFromTarget, live.BytesToBrowser);

    public override void LogRefused(ILogger logger, string targetId, string reason) => Log.Refused(logger, targetId, reason);

    public override void LogCrashed(ILogger logger, string sessionId, Exception exception) => Log.Crashed(logger, sessionId, exception);

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
    }
}
