using Oriel.Gateway.Access;
using Oriel.Gateway.Sessions;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>Opens a <see cref="SecretInputObserver"/> for every session.</summary>
internal sealed class SecretInputObserverFactory : ISessionObserverFactory
{
    public List<SecretInputObserver> Opened { get; } = [];

    public ValueTask<ISessionObserver?> OpenAsync(LiveSession live, AccessDecision decision, CancellationToken ct)
    {
        var observer = new SecretInputObserver();
        lock (Opened)
        {
            Opened.Add(observer);
        }
        return ValueTask.FromResult<ISessionObserver?>(observer);
    }
}
