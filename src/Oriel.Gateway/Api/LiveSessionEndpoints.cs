using Microsoft.AspNetCore.Http;
using Oriel.Gateway.Access;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Api;

/// <summary>
/// <c>GET /api/sessions</c>: the sessions running on this gateway, newest first — <c>{ items: [{ id, userId, user, targetId,
/// target, protocol, kind, medium, started, bytesToBrowser, bytesFromTarget, watchers, watchable }], mayWatch }</c>. Everyone sees
/// their own sessions; a user who may watch live sessions (a role with WatchLive, or an administrator) sees every one, and
/// <c>watchable</c> says which of them can be watched (rendered sessions; <c>/api/sessions/live/{id}/watch</c>).
/// <c>medium</c> ("desktop" or "terminal", the adapter's <see cref="IProtocolAdapter.Medium"/>) says which view shows it.
/// Under <c>/api/sessions</c>, so API keys are refused here as on the session sockets.
/// </summary>
public static class LiveSessionEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext http, IAccessService access, SessionBroker broker, LiveViews views, ProtocolRegistry protocols, IOrielStore store)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(store);
        var ct = http.RequestAborted;
        var mayWatch = await access.MayWatchLiveAsync(http.User, ct).ConfigureAwait(false);
        var me = http.User.GetUserId();
        var sessions = broker.Sessions
            .Where(s => mayWatch || string.Equals(s.UserId, me, StringComparison.Ordinal))
            .OrderByDescending(s => s.Started)
            .ToList();
        var names = (await store.ListTargetsAsync(ct).ConfigureAwait(false)).ToDictionary(t => t.Id, t => t.Name, StringComparer.Ordinal);
        return Results.Json(new
        {
            items = sessions.Select(s =>
            {
                var view = views.Find(s.Id);
                return new
                {
                    id = s.Id,
                    userId = s.UserId,
                    user = s.UserName,
                    targetId = s.TargetId,
                    target = names.GetValueOrDefault(s.TargetId, s.TargetId),
                    protocol = s.Protocol,
                    kind = s.Kind,
                    medium = protocols.Find(s.Protocol)?.Medium == SessionMedium.Terminal ? "terminal" : "desktop",
                    started = s.Started,
                    bytesToBrowser = s.BytesToBrowser,
                    bytesFromTarget = s.BytesFromTarget,
                    watchers = view?.WatcherCount ?? 0,
                    watchable = mayWatch && view is not null,
                };
            }),
            mayWatch,
        });
    }
}
