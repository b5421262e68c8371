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
/// session runs, every outbound TDP message passes through the returned sender and every message the browser sends
/// (the TDP handshake included) goes to <see cref="BrowserMessage"/>;</item>
/// <item><see cref="FinishAsync"/> once, with the end reason, after the run and before the browser is closed;</item>
/// <item><see cref="IAsyncDisposable.DisposeAsync"/> after the session's own parts are disposed (also when the session
/// ended by an exception the host did not expect).</item>
/// </list>
/// Passthrough sessions get only <see cref="FinishAsync"/> and disposal: their bytes are the protocol's, recorded by
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
    /// A graphical session's desktop opened: <paramref name="surface"/> holds the framebuffer the browser is shown (a
    /// recorder takes its keyframes from it). Called under the session's gate, before the first frame is sent.
    /// </summary>
    void SurfaceOpened(DesktopSurface surface)
    {
    }

    /// <summary>The session ended with <paramref name="reason"/>; the sentence is the one the user is shown. Failures here are logged, not thrown on.</summary>
    ValueTask FinishAsync(SessionEndReason reason, string userMessage);

    /// <summary>Adds what the observer has to say to the <c>session.end</c> audit event (the recording's file and problem).</summary>
    void DescribeEnd(JsonObject details)
    {
    }
}
