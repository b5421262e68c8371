using System.Collections.Concurrent;

namespace Oriel.Gateway.Sessions;

/// <summary>The live views of the rendered sessions running now, by session id (docs/live-view.md).</summary>
public sealed class LiveViews
{
    private readonly ConcurrentDictionary<string, LiveView> _views = new(StringComparer.Ordinal);

    /// <summary>The session's live view while it runs, or null (no such session, a passthrough session, or it ended).</summary>
    public LiveView? Find(string sessionId) => _views.TryGetValue(sessionId, out var v) && !v.Ended.IsCancellationRequested ? v : null;

    /// <summary>Every live view now (a snapshot; some may be ending).</summary>
    internal IReadOnlyCollection<LiveView> All => [.. _views.Values];

    internal void Add(LiveView view) => _views[view.Session.Id] = view;

    internal void Remove(LiveView view) => _views.TryRemove(new KeyValuePair<string, LiveView>(view.Session.Id, view));
}
