using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// What differs between the session kinds (<see cref="SessionKinds"/>) inside the one lifecycle of the
/// <see cref="SessionHost"/>: the answer to a target whose protocol does not offer the kind, the WebSocket subprotocol,
/// how the browser side is opened and how a refused one is told, and the kind's log messages (their event ids are
/// stable: operators filter on them). Protocol-agnostic: the protocol's part comes from its <see cref="IProtocolAdapter"/>.
/// </summary>
internal abstract class SessionKind
{
    /// <summary>The kind's name (<see cref="SessionKinds"/>), as on <see cref="LiveSession.Kind"/> and in audit events.</summary>
    public abstract string Name { get; }

    /// <summary>The category of the session's logger.</summary>
    public abstract string LoggerCategory { get; }

    /// <summary>Answers a request whose target's protocol has no adapter offering this kind (status, and a JSON error where the kind gives one).</summary>
    public abstract Task RefuseUnsupportedAsync(HttpContext http, ProtocolRegistry registry);

    /// <summary>The WebSocket subprotocol to accept, or null for none.</summary>
    public virtual string? SubProtocol(HttpContext http) => null;

    /// <summary>
    /// Makes the session's browser side on the accepted WebSocket (no I/O to the target yet). Throwing
    /// <see cref="SessionFailure"/> refuses the session (see <see cref="IProtocolAdapter.CreateRelayAsync"/>).
    /// </summary>
    public abstract ValueTask<IBrowserSession> OpenAsync(SessionSetup setup, CancellationToken ct);

    /// <summary>Tells the browser on the accepted WebSocket that its session is refused, and why (an observer or the protocol refused it).</summary>
    public abstract Task RefuseAsync(SessionSetup setup, SessionFailure refusal);

    public abstract void LogStarted(ILogger logger, LiveSession live);

    public abstract void LogEnded(ILogger logger, LiveSession live, SessionEndReason reason);

    public abstract void LogRefused(ILogger logger, string targetId, string reason);

    public abstract void LogCrashed(ILogger logger, string sessionId, Exception exception);
}
