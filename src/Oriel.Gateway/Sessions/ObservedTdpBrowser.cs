using Oriel.Gateway.Desktop;
using Oriel.Tdp;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The browser's TDP side seen through a session's observers: sends go through each observer's wrapper
/// (<see cref="ISessionObserver.WrapSender"/>, the last observer's outermost) down to the channel, and each message
/// received from the browser is shown to every observer before the protocol gets it.
/// </summary>
internal sealed class ObservedTdpBrowser : ITdpBrowser
{
    private readonly ITdpBrowser _inner;
    private readonly IReadOnlyList<ISessionObserver> _observers;
    private readonly ITdpSender _sender;

    public ObservedTdpBrowser(ITdpBrowser inner, IReadOnlyList<ISessionObserver> observers)
    {
        _inner = inner;
        _observers = observers;
        ITdpSender sender = inner;
        foreach (var observer in observers)
        {
            sender = observer.WrapSender(sender);
        }
        _sender = sender;
    }

    public TimeSpan CloseGrace => _inner.CloseGrace;

    public ValueTask SendAsync(TdpMessage message) => _sender.SendAsync(message);

    public ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload) => _sender.SendFragmentedAsync(header, payload);

    public async Task<TdpMessage?> ReceiveAsync(CancellationToken ct)
    {
        var message = await _inner.ReceiveAsync(ct).ConfigureAwait(false);
        if (message is not null)
        {
            foreach (var observer in _observers)
            {
                observer.BrowserMessage(message);
            }
        }
        return message;
    }
}
