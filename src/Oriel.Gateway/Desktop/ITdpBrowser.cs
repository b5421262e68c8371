using Oriel.Tdp;

namespace Oriel.Gateway.Desktop;

/// <summary>
/// The browser's side of a rendered session as a protocol's desktop sees it: TDP messages to send (as for
/// <see cref="ITdpSender"/>, serialised by the caller) and TDP messages the browser sent. The session host gives the
/// protocol either the browser's <see cref="Sessions.TdpChannel"/> itself or that channel seen through the session's
/// observers (<see cref="Sessions.ObservedTdpBrowser"/>), so a recorder sees what the protocol sends and receives
/// without the protocol knowing.
/// </summary>
public interface ITdpBrowser : ITdpSender
{
    /// <summary>
    /// Next message from the browser, or null when the browser closed the socket. When <paramref name="ct"/> fires
    /// first this throws <see cref="OperationCanceledException"/>, but the read goes on and the next call continues
    /// it (a WebSocket read is never cancelled: that would abort the socket and lose the close reason).
    /// </summary>
    Task<TdpMessage?> ReceiveAsync(CancellationToken ct);

    /// <summary>How long a closing session waits for a browser that is not reading.</summary>
    TimeSpan CloseGrace { get; }
}
