namespace Oriel.Gateway.Sessions;

/// <summary>
/// One remote-desktop protocol as the session host sees it (DESIGN rule 3: the broker finds adapters by protocol
/// name). Registered in the composition root with <see cref="SessionEndpoints.AddOrielProtocol{TAdapter}"/> and found
/// through the <see cref="ProtocolRegistry"/>; nothing outside an adapter names a protocol. An adapter is a
/// singleton: it makes one object per session and keeps no state of its own between sessions.
/// </summary>
public interface IProtocolAdapter
{
    /// <summary>The name targets carry (<see cref="Targets.ResolvedTarget.Protocol"/>), lowercase: "vnc".</summary>
    string Protocol { get; }

    /// <summary>The name in sentences for users: "VNC".</summary>
    string DisplayName { get; }

    /// <summary>The session kinds offered (<see cref="SessionKinds"/>); the host refuses the others before admitting a session.</summary>
    IReadOnlySet<string> SessionKinds { get; }

    /// <summary>What its rendered sessions show: a desktop (the default) or a terminal. Observers choose by it (a recording's format, the live view).</summary>
    SessionMedium Medium => SessionMedium.Desktop;

    /// <summary>
    /// A rendered session (kind <see cref="Sessions.SessionKinds.Rendered"/>) after the TDP handshake: the protocol's engine,
    /// driver and adapter behind <paramref name="context"/>'s browser. Called only when <see cref="SessionKinds"/> offers it.
    /// </summary>
    IRenderedSession CreateRendered(RenderedSessionContext context);

    /// <summary>
    /// A passthrough session (kind <see cref="Sessions.SessionKinds.Passthrough"/>) on the accepted WebSocket: the relay,
    /// and whatever the protocol records of its own stream. Called only when <see cref="SessionKinds"/> offers it, after
    /// the session's observers opened and before <c>session.start</c>. Throwing <see cref="SessionFailure"/> refuses the
    /// session as an observer can (a recording of the stream that the role requires cannot be opened).
    /// </summary>
    ValueTask<IBrowserSession> CreateRelayAsync(RelaySessionContext context, CancellationToken ct);
}
