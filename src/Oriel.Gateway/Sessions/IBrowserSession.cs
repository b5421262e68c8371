using System.Text.Json.Nodes;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// One admitted session's browser-facing part as the <see cref="SessionHost"/> drives it: run inside the catch
/// ladder, then close with the reason, then say what the <c>session.end</c> audit event should add. Made by the host
/// for rendered sessions (<see cref="RenderedSession"/>) and by a protocol adapter for passthrough
/// (<see cref="IProtocolAdapter.CreateRelayAsync"/>). Disposed after <see cref="CloseAsync"/>, before the WebSocket.
/// </summary>
public interface IBrowserSession : IAsyncDisposable
{
    /// <summary>Runs until the session ends; throws <see cref="SessionFailure"/> with the reason (the catch ladder maps the rest).</summary>
    Task RunAsync(CancellationToken ct);

    /// <summary>Tells the browser why the session ended and closes its WebSocket; never throws for a browser that is gone.</summary>
    Task CloseAsync(SessionEndReason reason, string userMessage);

    /// <summary>Adds this session's own facts to the <c>session.end</c> audit details (a recording's file name, ...); may add nothing.</summary>
    void DescribeEnd(JsonObject details);
}
