using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Passthrough sessions (<see cref="SessionKinds.Passthrough"/>, <see cref="PassthroughEndpoint"/>): the target's own
/// protocol relayed to a viewer that speaks it, made by the protocol's adapter (<see cref="IProtocolAdapter.CreateRelayAsync"/>).
/// A target whose protocol offers no relay gets 400 with a JSON error naming the protocols that do.
/// </summary>
internal sealed partial class PassthroughSessionKind : SessionKind
{
    public static PassthroughSessionKind Instance { get; } = new();

    public override string Name => SessionKinds.Passthrough;

    public override string LoggerCategory => "Oriel.Sessions.Passthrough";

    public override async Task RefuseUnsupportedAsync(HttpContext http, ProtocolRegistry registry)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.Response.WriteAsJsonAsync(new { error = UnsupportedMessage(registry) }, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>"Passthrough is offered for VNC targets only." (the protocols that offer it, by their display names).</summary>
    public static string UnsupportedMessage(ProtocolRegistry registry)
    {
        var names = registry.DisplayNamesOffering(SessionKinds.Passthrough);
        return names.Count == 0
            ? "Passthrough is not offered for any target on this gateway."
            : $"Passthrough is offered for {(names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1])} targets only.";
    }

    /// <summary>websockify's <c>binary</c> subprotocol when the viewer offers it.</summary>
    public override string? SubProtocol(HttpContext http) =>
        http.WebSockets.WebSocketRequestedProtocols.Contains(PassthroughEndpoint.BinarySubprotocol, StringComparer.Ordinal) ? PassthroughEndpoint.BinarySubprotocol : null;

    public override ValueTask<IBrowserSession> OpenAsync(SessionSetup setup, CancellationToken ct) =>
        setup.Protocol.CreateRelayAsync(
            new RelaySessionContext(setup.Live, setup.Decision.Target!, setup.Decision.Permissions, setup.Socket, setup.Log, setup.Time, setup.Timeouts,
                setup.Observers.OfType<Recordings.PassthroughRecordingObserver>().FirstOrDefault()?.Recorder), ct);

    public override async Task RefuseAsync(SessionSetup setup, SessionFailure refusal)
    {
        using var timeout = new CancellationTokenSource(setup.Timeouts.BrowserCloseGrace, setup.Time);
        try
        {
            await setup.Socket.CloseOutputAsync(SessionEndReasons.CloseStatus(refusal.Reason), TdpChannel.CloseReasonText(refusal.UserMessage), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The viewer is already gone.
        }
    }

    public override void LogStarted(ILogger logger, LiveSession live) => Log.Started(logger, live.Id, live.UserName, live.TargetId);

    public override void LogEnded(ILogger logger, LiveSession live, SessionEndReason reason) =>
        Log.Ended(logger, live.Id, SessionEndReasons.Code(reason), live.BytesFromTarget, live.BytesToTarget);

    public override void LogRefused(ILogger logger, string targetId, string reason) => Log.Refused(logger, targetId, reason);

    public override void LogCrashed(ILogger logger, string sessionId, Exception exception) => Log.Crashed(logger, sessionId, exception);

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
