using Oriel.Gateway.Access;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Opens an <see cref="ISessionObserver"/> for each admitted session (the session recorder registers one). Every factory
/// registered in the container is asked, in registration order, after admission and the WebSocket's acceptance and before
/// <c>session.start</c> is audited and the session runs.
/// </summary>
public interface ISessionObserverFactory
{
    /// <summary>
    /// Returns an observer for the session, or null to leave it alone (recording off for this role). Throwing
    /// <see cref="SessionFailure"/> refuses the session (a recording the role requires cannot be opened): the user
    /// is told its sentence in the close, <c>session.denied</c> is audited with it, and the session never starts.
    /// </summary>
    /// <param name="live">The admitted session (id, user, target, kind, start time).</param>
    /// <param name="decision">The access decision: the resolved target and the session's permissions.</param>
    /// <param name="ct">The request's cancellation.</param>
    ValueTask<ISessionObserver?> OpenAsync(LiveSession live, AccessDecision decision, CancellationToken ct);
}
