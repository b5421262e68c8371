using System.Security.Claims;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Identity;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Ends live sessions whose access went away: the user signed out (or was signed out everywhere),
/// was removed, lost the role that granted the target (or the login the session signed in as), or the target was removed. It re-checks
/// every live session against the database at a fixed interval, so changes made by the CLI, the
/// configuration file or another gateway take effect too, not only those made through this
/// process's API. Open live views (docs/live-view.md) are re-checked the same way: a watcher who was signed out or
/// may no longer watch (<see cref="IAccessService.MayWatchLiveAsync"/>) has the view closed with the reason.
/// </summary>
public sealed partial class SessionRevalidator(
    SessionBroker broker,
    LiveViews views,
    SignInService signIn,
    IAccessService access,
    GatewayOptions options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SessionRevalidator> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // When the gateway stops, every live session is told why (a notification and a close
        // reason) as the server starts draining its connections, instead of being cut off later.
        using var stopping = lifetime.ApplicationStopping.Register(() => _ = EndAllForShutdownAsync());
        using var timer = new PeriodicTimer(options.SessionRevalidationInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RevalidateAllAsync(stoppingToken).ConfigureAwait(false);
                await RevalidateWatchersAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task EndAllForShutdownAsync()
    {
        var ended = await broker.TerminateAllAsync("the gateway is shutting down", options.SessionTimeouts.ShutdownGrace).ConfigureAwait(false);
        if (ended > 0)
        {
            Log.ShutdownEnded(log, ended);
        }
    }

    /// <summary>One pass over the live sessions; returns how many were ended.</summary>
    public async Task<int> RevalidateAllAsync(CancellationToken ct)
    {
        var ended = 0;
        foreach (var session in broker.Sessions)
        {
            if (session.Principal is not { } principal || session.Terminated.IsCancellationRequested)
            {
                continue;
            }
            try
            {
                var reason = await CheckAsync(principal, session.TargetId, session.Login, ct).ConfigureAwait(false);
                if (reason is not null)
                {
                    Log.Revoked(log, session.Id, session.UserName, session.TargetId, reason);
                    session.Terminate(reason);
                    ended++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A database hiccup must not end sessions; the next pass tries again.
                Log.CheckFailed(log, session.Id, ex);
            }
        }
        return ended;
    }

    /// <summary>The sentence a watcher is shown when their sign-in is no longer valid.</summary>
    public const string WatcherSignedOut = "You were signed out.";

    /// <summary>The sentence a watcher is shown when they may no longer watch live sessions.</summary>
    public const string WatchWithdrawn = "Your permission to watch sessions was withdrawn.";

    /// <summary>One pass over the watchers of the live views; returns how many views were closed.</summary>
    public async Task<int> RevalidateWatchersAsync(CancellationToken ct)
    {
        var ended = 0;
        foreach (var view in views.All)
        {
            foreach (var watcher in view.Watchers)
            {
                if (watcher.Principal is not { } principal || watcher.RevokedReason is not null)
                {
                    continue;
                }
                try
                {
                    var current = await signIn.ValidateAsync(principal, ct).ConfigureAwait(false);
                    var reason = current is null ? WatcherSignedOut
                        : await access.MayWatchLiveAsync(current, ct).ConfigureAwait(false) ? null
                        : WatchWithdrawn;
                    if (reason is not null)
                    {
                        Log.WatchRevoked(log, view.Session.Id, watcher.UserName, reason);
                        watcher.Revoke(reason);
                        ended++;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // As for sessions: a database hiccup must not close views; the next pass tries again.
                    Log.WatchCheckFailed(log, view.Session.Id, watcher.UserName, ex);
                }
            }
        }
        return ended;
    }

    private async Task<string?> CheckAsync(ClaimsPrincipal principal, string targetId, string? login, CancellationToken ct)
    {
        var current = await signIn.ValidateAsync(principal, ct).ConfigureAwait(false);
        if (current is null)
        {
            return "you were signed out";
        }
        var decision = TargetLogins.Choose(await access.AuthorizeSessionAsync(current, targetId, ct).ConfigureAwait(false), login);
        return decision.Allowed ? null : $"your access to this target was revoked ({decision.Reason})";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Session {SessionId} of {User} to {TargetId} ended: {Reason}")]
        public static partial void Revoked(ILogger logger, string sessionId, string user, string targetId, string reason);

        [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Session {SessionId}: access could not be re-checked")]
        public static partial void CheckFailed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Gateway stopping: ended {Count} live sessions")]
        public static partial void ShutdownEnded(ILogger logger, int count);

        [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Session {SessionId}: the view of {Watcher} closed: {Reason}")]
        public static partial void WatchRevoked(ILogger logger, string sessionId, string watcher, string reason);

        [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Session {SessionId}: the access of watcher {Watcher} could not be re-checked")]
        public static partial void WatchCheckFailed(ILogger logger, string sessionId, string watcher, Exception exception);
    }
}
