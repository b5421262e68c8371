namespace Oriel.Gateway.Sessions;

/// <summary>
/// Ends one session with a reason and a sentence the user can read. Thrown inside a session's
/// loops and caught once, at the session boundary, which turns it into a TDP notification,
/// a WebSocket close, an audit event and a log line.
/// </summary>
public sealed class SessionFailure : Exception
{
    public SessionFailure(SessionEndReason reason, string userMessage, Exception? inner = null)
        : base(userMessage, inner)
    {
        Reason = reason;
        UserMessage = userMessage;
    }

    public SessionEndReason Reason { get; }
    public string UserMessage { get; }
}
