using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Gives every rendered session a <see cref="LiveView"/> (a tee with no watchers costs a check per send; a terminal's
/// also keeps the capped replay of its screen); passthrough sessions have none. Whether the session shows a desktop or a
/// terminal is its adapter's <see cref="IProtocolAdapter.Medium"/>.
/// </summary>
public sealed class LiveViewObserverFactory(LiveViews views, ProtocolRegistry protocols, TimeProvider time, ILoggerFactory logs) : ISessionObserverFactory
{
    private readonly ILogger _log = logs.CreateLogger("Oriel.LiveView");

    public ValueTask<ISessionObserver?> OpenAsync(LiveSession live, AccessDecision decision, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (live.Kind != SessionKinds.Rendered)
        {
            return ValueTask.FromResult<ISessionObserver?>(null);
        }
        var medium = protocols.Find(live.Protocol)?.Medium ?? SessionMedium.Desktop;
        var view = new LiveView(live, views, time, _log, medium);
        views.Add(view);
        return ValueTask.FromResult<ISessionObserver?>(view);
    }
}
