using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The one lifecycle of every browser session, rendered or passthrough, whatever the protocol. After the endpoint's
/// own request checks:
/// <list type="number">
/// <item>admission (<see cref="SessionAdmission.AdmitAsync"/>): Origin, sign-in, access, a protocol adapter offering
/// the kind (<see cref="ProtocolRegistry"/>), the broker's session limit;</item>
/// <item>the WebSocket is accepted;</item>
/// <item><b>observers open</b> (<see cref="ISessionObserverFactory"/>, the session recorder's place): one may refuse the
/// session, which is then closed with its sentence and audited as <c>session.denied</c>;</item>
/// <item>the kind opens the browser side (<see cref="SessionKind.OpenAsync"/>; a rendered session's TDP goes through the
/// observers; the protocol may refuse a passthrough session here), <c>session.start</c> is audited and logged;</item>
/// <item>the session runs inside the one catch ladder (<see cref="SessionAdmission.RunAsync"/>), which turns every
/// way it ends into a reason and a sentence;</item>
/// <item><b>observers finish</b> with that reason, then the browser is told it and closed;</item>
/// <item>the end is logged and <c>session.end</c> audited (with the session's and the observers' own details), the session's parts
/// and then the observers are disposed, and the broker forgets the session.</item>
/// </list>
/// </summary>
internal static partial class SessionHost
{
    public static async Task HostAsync(HttpContext http, string targetId, SessionKind kind)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(kind.LoggerCategory);
        var admitted = await SessionAdmission.AdmitAsync(http, targetId, kind, logger).ConfigureAwait(false);
        if (admitted is not { } a)
        {
            return;
        }
        var (decision, live, protocol) = a;
        var broker = services.GetRequiredService<SessionBroker>();
        var audit = services.GetRequiredService<IAuditLog>();
        var time = services.GetRequiredService<TimeProvider>();
        var timeouts = services.GetRequiredService<GatewayOptions>().SessionTimeouts;
        var ct = http.RequestAborted;
        live.Principal = http.User; // the revalidator ends the session when sign-in or access goes away

        var observers = new List<ISessionObserver>();
        try
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = kind.SubProtocol(http) }).ConfigureAwait(false);
            var setup = new SessionSetup(live, decision, protocol, socket, observers, logger, audit, time, timeouts);

            // The recorder's place (a): after admission, before session.start and the run; it may refuse the session.
            // The browser side opens next (a rendered session's TDP goes through the observers: the place (b),
            // RenderedSession); the protocol may refuse there too (a passthrough recording it cannot open).
            IBrowserSession? opened = null;
            var refusal = await OpenObserversAsync(services, setup, observers, kind, ct).ConfigureAwait(false);
            if (refusal is null)
            {
                try
                {
                    opened = await kind.OpenAsync(setup, ct).ConfigureAwait(false);
                }
                catch (SessionFailure f)
                {
                    refusal = f;
                }
            }
            if (refusal is not null)
            {
                kind.LogRefused(logger, targetId, refusal.UserMessage);
                await audit.WriteAsync(AuditEvents.SessionDenied(live.UserName, targetId, live.ClientIp, refusal.UserMessage), CancellationToken.None).ConfigureAwait(false);
                await FinishObserversAsync(observers, refusal.Reason, refusal.UserMessage, logger, live.Id).ConfigureAwait(false);
                await kind.RefuseAsync(setup, refusal).ConfigureAwait(false);
                return;
            }

            await using var session = opened!;
            await audit.WriteAsync(AuditEvents.SessionStart(live), CancellationToken.None).ConfigureAwait(false);
            kind.LogStarted(logger, live);

            var (reason, message) = await SessionAdmission.RunAsync(live, ct, session.RunAsync, ex => kind.LogCrashed(logger, live.Id, ex)).ConfigureAwait(false);

            // The recorder's place (c): finished with the end reason, before the browser is closed.
            await FinishObserversAsync(observers, reason, message, logger, live.Id).ConfigureAwait(false);
            await session.CloseAsync(reason, message).ConfigureAwait(false);
            kind.LogEnded(logger, live, reason);
            var end = AuditEvents.SessionEnd(live, reason, message, time.GetUtcNow());
            session.DescribeEnd(end.Details!);
            foreach (var observer in observers)
            {
                observer.DescribeEnd(end.Details!);
            }
            await audit.WriteAsync(end, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            foreach (var observer in observers)
            {
                await DisposeObserverAsync(observer, logger, live.Id).ConfigureAwait(false);
            }
            broker.Remove(live);
        }
    }

    /// <summary>
    /// Asks every <see cref="ISessionObserverFactory"/> in turn; the observers opened are added to <paramref name="observers"/>.
    /// Returns the refusal when one refuses (its <see cref="SessionFailure"/>, or an internal error for any other exception, logged).
    /// </summary>
    private static async Task<SessionFailure?> OpenObserversAsync(IServiceProvider services, SessionSetup setup, List<ISessionObserver> observers,
        SessionKind kind, CancellationToken ct)
    {
        foreach (var factory in services.GetServices<ISessionObserverFactory>())
        {
            try
            {
                if (await factory.OpenAsync(setup.Live, setup.Decision, ct).ConfigureAwait(false) is { } observer)
                {
                    observers.Add(observer);
                }
            }
            catch (SessionFailure refusal)
            {
                return refusal;
            }
            catch (Exception ex)
            {
                kind.LogCrashed(setup.Log, setup.Live.Id, ex);
                return new SessionFailure(SessionEndReason.InternalError,
                    "The session could not be started because of an internal error in the gateway; it has been logged.", ex);
            }
        }
        return null;
    }

    /// <summary>Tells each observer how the session ended; one that fails is logged and the others still hear.</summary>
    private static async Task FinishObserversAsync(List<ISessionObserver> observers, SessionEndReason reason, string message, ILogger logger, string sessionId)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.FinishAsync(reason, message).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.ObserverFailed(logger, sessionId, observer.GetType().Name, ex);
            }
        }
    }

    private static async Task DisposeObserverAsync(ISessionObserver observer, ILogger logger, string sessionId)
    {
        try
        {
            await observer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ObserverFailed(logger, sessionId, observer.GetType().Name, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3029, Level = LogLevel.Error, Message = "Session {SessionId}: observer {Observer} failed as the session ended")]
        public static partial void ObserverFailed(ILogger logger, string sessionId, string observer, Exception exception);
    }
}
