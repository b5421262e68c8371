using System.Text.Json.Nodes;
using Oriel.Tdp;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// A protocol's rendered desktop for one session (<see cref="VncSession"/> for VNC): it connects to the target and
/// runs until the session ends, drawing to the browser and taking its input through <see cref="RenderedSessionContext.Browser"/>.
/// The session host has done the TDP handshake before, and closes the browser after.
/// </summary>
public interface IRenderedSession : IAsyncDisposable
{
    /// <summary>
    /// Runs until the session ends; throws <see cref="SessionFailure"/> with the reason. When the target side ends
    /// first the browser side is left reading (the host closes it, and <see cref="IAsyncDisposable.DisposeAsync"/>
    /// then waits for it), so the user is told why.
    /// </summary>
    /// <param name="initialScreen">The browser's size from the TDP handshake.</param>
    /// <param name="resizeMode">From the handshake's resize remote (107): whether the desktop takes that size as it opens.</param>
    /// <param name="ct">Ends the session.</param>
    Task RunAsync(ClientScreenSpecMessage initialScreen, RemoteResizeMode resizeMode, CancellationToken ct);

    /// <summary>
    /// Adds the protocol's own facts to the <c>session.end</c> audit details (an SSH login, host key, cipher, exit status);
    /// may add nothing. Called by <see cref="IBrowserSession.DescribeEnd"/> of the rendered session, after the run.
    /// </summary>
    void DescribeEnd(JsonObject details)
    {
    }
}
