using System.Text.Json.Nodes;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The audit events of live views: <c>session.watch</c> when someone starts and stops watching a session (actor: the
/// watcher; target: the session's target; session id: the watched session; details: phase start|end, the watched user,
/// and at the end why and how many keyframes the watcher needed).
/// </summary>
internal static class LiveViewAuditEvents
{
    public const string Watch = "session.watch";

    public static AuditEvent Start(LiveSession watched, string watcher, string? clientIp) => new()
    {
        Kind = Watch,
        Actor = watcher,
        Target = watched.TargetId,
        ClientIp = clientIp,
        SessionId = watched.Id,
        Details = new JsonObject { ["phase"] = "start", ["user"] = watched.UserName },
    };

    public static AuditEvent End(LiveSession watched, string watcher, string? clientIp, string reason, int keyframes, int overflows) => new()
    {
        Kind = Watch,
        Actor = watcher,
        Target = watched.TargetId,
        ClientIp = clientIp,
        SessionId = watched.Id,
        Details = new JsonObject
        {
            ["phase"] = "end",
            ["user"] = watched.UserName,
            ["reason"] = reason,
            ["keyframes"] = keyframes,
            ["overflows"] = overflows,
        },
    };
}
