using System.Text.Json.Nodes;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Sessions;

/// <summary>The audit events of sessions. Sizes only: never clipboard contents or keystrokes.</summary>
internal static class AuditEvents
{
    public const string Clipboard = "session.clipboard";

    public static AuditEvent SessionDenied(string? user, string targetId, string? clientIp, string reason) => new()
    {
        Kind = AuditKinds.SessionDenied,
        Actor = user,
        Target = targetId,
        ClientIp = clientIp,
        Details = new JsonObject { ["reason"] = reason },
    };

    public static AuditEvent SessionStart(LiveSession s) => new()
    {
        Kind = AuditKinds.SessionStart,
        Actor = s.UserName,
        Target = s.TargetId,
        ClientIp = s.ClientIp,
        SessionId = s.Id,
        Details = new JsonObject { ["protocol"] = s.Protocol, ["kind"] = s.Kind },
    };

    public static AuditEvent SessionEnd(LiveSession s, SessionEndReason reason, string message, DateTimeOffset now) => new()
    {
        Kind = AuditKinds.SessionEnd,
        Actor = s.UserName,
        Target = s.TargetId,
        ClientIp = s.ClientIp,
        SessionId = s.Id,
        Details = new JsonObject
        {
            ["protocol"] = s.Protocol,
            ["kind"] = s.Kind,
            ["reason"] = SessionEndReasons.Code(reason),
            ["message"] = message,
            ["durationMs"] = (long)(now - s.Started).TotalMilliseconds,
            ["bytesFromTarget"] = s.BytesFromTarget,
            ["bytesToTarget"] = s.BytesToTarget,
            ["bytesToBrowser"] = s.BytesToBrowser,
            ["bytesFromBrowser"] = s.BytesFromBrowser,
            ["frames"] = s.FramesSent,
        },
    };

    public static AuditEvent ClipboardTransfer(LiveSession s, string direction, long bytes) => new()
    {
        Kind = Clipboard,
        Actor = s.UserName,
        Target = s.TargetId,
        ClientIp = s.ClientIp,
        SessionId = s.Id,
        Details = new JsonObject { ["direction"] = direction, ["bytes"] = bytes },
    };
}
