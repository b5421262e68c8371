using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;

namespace Oriel.Gateway.Sessions;

/// <summary>Gives every rendered session a <see cref="LiveView"/> (a tee with no watchers costs a check per send); passthrough sessions have none.</summary>
public sealed class LiveViewObserverFactory(LiveViews views, TimeProvider time, ILoggerFactory logs) : ISessionObserverFactory
{
    private readonly ILogger _log = logs.CreateLogger("Oriel.LiveView");

    public ValueTask<ISessionObserver?> OpenAsync(LiveSession live, AccessDecision decision, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (live.Kind != SessionKinds.Rendered)
        {
            return ValueTask.FromResult<ISessionObserver?>(null);
        }
        var view = new LiveView(live, views, time, _log);
        views.Add(view);
        return ValueTask.FromResult<ISessionObserver?>(view);
    }
}
