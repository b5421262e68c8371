using System.Text.Json.Nodes;
using Oriel.Gateway.Desktop;
using Oriel.Tdp;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Watches one session from outside its protocol, for as long as it runs: the place a session recorder plugs in
/// (STYLE 9: a recording is a subscriber to the session's outbound stream, not a second code path). Made after
/// admission by an <see cref="ISessionObserverFactory"/>; the <see cref="SessionHost"/> calls it in this order:
/// <list type="number">
/// <item>rendered sessions: <see cref="WrapSender"/> once, before the protocol sends anything; then, while the
/// session runs, every outbound TDP message passes through the returned sender, every message the browser sends
/// (the TDP handshake included) goes to <see cref="BrowserMessage"/>, and <see cref="SurfaceOpened"/> comes once
/// the protocol's desktop exists (not at all when the target is never reached);</item>
/// <item><see cref="FinishAsync"/> once, with the end reason, after the run and before the browser is closed;</item>
/// <item><see cref="DescribeEnd"/> with the <c>session.end</c> audit details, after the protocol's own;</item>
/// <item><see cref="IAsyncDisposable.DisposeAsync"/> after the session's own parts are disposed (also when the session
/// ended by an exception the host did not expect).</item>
/// </list>
/// Passthrough sessions get only <see cref="FinishAsync"/>, <see cref="DescribeEnd"/> and disposal: their bytes are the protocol's, recorded by
/// its adapter. The wrapped sender is called under the session's gate (serialised); <see cref="BrowserMessage"/> runs on
/// the browser loop, concurrently with sends. An exception from either ends the session as an internal error.
/// </summary>
public interface ISessionObserver : IAsyncDisposable
{
    /// <summary>Returns the sender the protocol is to use: <paramref name="browser"/> itself, or a wrapper that sees each message and passes it on.</summary>
    ITdpSender WrapSender(ITdpSender browser);

    /// <summary>A message the browser sent, after it was decoded and before the protocol acts on it.</summary>
    void BrowserMessage(TdpMessage message);

    /// <summary>
    /// The rendered desktop's surface exists: what the browser is sent is drawn from its framebuffer, which a recorder
    /// may read for keyframes under the session's gate (that is, from inside the wrapped sender).
    /// </summary>
    void SurfaceOpened(DesktopSurface surface);

    /// <summary>
    /// The surface, with a handle on the session's gate for work started from outside the session's loops (a live
    /// view's picture for a joining watcher). The host calls this one; by default it is <see cref="SurfaceOpened(DesktopSurface)"/>.
    /// </summary>
    void SurfaceOpened(DesktopSurface surface, SessionGate gate) => SurfaceOpened(surface);

    /// <summary>
    /// The protocol says whether what the browser sends next is secret (true: a terminal is asking for a password, whatever
    /// the role's input recording; false: that is over). A recorder keeps no input while it is on. By default ignored.
    /// </summary>
    void SecretInput(bool active)
    {
    }

    /// <summary>Adds the observer's facts to the <c>session.end</c> audit details (the recording's file name, a problem); may add nothing.</summary>
    void DescribeEnd(JsonObject details);

    /// <summary>The session ended with <paramref name="reason"/>; the sentence is the one the user is shown. Failures here are logged, not thrown on.</summary>
    ValueTask FinishAsync(SessionEndReason reason, string userMessage);
}
