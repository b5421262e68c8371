using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Api;

/// <summary>
/// Administrator endpoints: <c>GET /api/audit?since=&amp;until=&amp;kind=&amp;actor=&amp;target=&amp;limit=</c>,
/// <c>GET /api/audit/verify</c>, and read-only listings <c>GET /api/admin/users|roles|targets</c>
/// (targets include host and port for administrators, never passwords; roles their recording settings by name:
/// recording off|best-effort|required, recordInput off|redacted|full, recordings none|own|all, watchLive; logins,
/// fileDownload, fileUpload, browserAuthPrompts), SSH targets their settings and whether a private key is stored (never the
/// key); and <c>PUT /api/admin/targets/{id}/host-key-pins</c> with <c>{"pins": [...]}</c>, which replaces an SSH target's
/// host key pins (an empty list clears them), audited.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapOrielAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api").RequireAuthorization(GatewayHost.AdminPolicy);

        admin.MapGet("/audit", async (HttpContext http, IAuditLog audit) =>
        {
            var q = http.Request.Query;
            AuditQuery query;
            try
            {
                query = new AuditQuery
                {
                    Since = ParseTime(q["since"]),
                    Until = ParseTime(q["until"]),
                    Kind = q["kind"].FirstOrDefault(),
                    Actor = q["actor"].FirstOrDefault(),
                    Target = q["target"].FirstOrDefault(),
                    SessionId = q["sessionId"].FirstOrDefault(),
                    Limit = int.TryParse(q["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : 100,
                };
            }
            catch (FormatException)
            {
                return Results.Json(new { error = "since/until must be ISO 8601 times" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var events = await audit.QueryAsync(query, http.RequestAborted).ConfigureAwait(false);
            return Results.Json(events.Select(e => new
            {
                seq = e.Sequence,
                time = e.Time,
                kind = e.Kind,
                actor = e.Actor,
                target = e.Target,
                clientIp = e.ClientIp,
                sessionId = e.SessionId,
                details = e.Details,
            }));
        });

        admin.MapGet("/audit/verify", async (HttpContext http, IAuditLog audit) =>
            Results.Json(await audit.VerifyChainAsync(http.RequestAborted).ConfigureAwait(false)));

        admin.MapGet("/admin/users", async (HttpContext http, IOrielStore store) =>
            Results.Json((await store.ListUsersAsync(http.RequestAborted).ConfigureAwait(false)).Select(u => new
            {
                username = u.Username,
                isAdmin = u.IsAdmin,
                mustChangePassword = u.MustChangePassword,
                roles = u.Roles,
                declared = u.Declared,
                createdAt = u.CreatedAt,
            })));

        admin.MapGet("/admin/roles", async (HttpContext http, IOrielStore store) =>
            Results.Json((await store.ListRolesAsync(http.RequestAborted).ConfigureAwait(false)).Select(r => new
            {
                name = r.Name,
                description = r.Description,
                targetIds = r.TargetIds,
                targetLabels = r.TargetLabels,
                clipboardRead = r.ClipboardRead,
                clipboardWrite = r.ClipboardWrite,
                resize = r.Resize,
                maxSessions = r.MaxSessions,
                declared = r.Declared,
                createLinks = r.CreateLinks,
                recording = RecordingSettingNames.ToText(r.Recording),
                recordInput = RecordingSettingNames.ToText(r.RecordInput),
                recordings = RecordingSettingNames.ToText(r.Recordings),
                watchLive = r.WatchLive,
                logins = r.Logins,
                fileDownload = r.FileDownload,
                fileUpload = r.FileUpload,
                browserAuthPrompts = r.BrowserAuthPrompts,
            })));

        admin.MapGet("/admin/targets", async (HttpContext http, IOrielStore store) =>
            Results.Json((await store.ListTargetsAsync(http.RequestAborted).ConfigureAwait(false)).Select(t => (t, vnc: t.Settings as VncTargetSettings ?? VncTargetSettings.Default, ssh: t.Settings as SshTargetSettings)).Select(p => new
            {
                id = p.t.Id,
                name = p.t.Name,
                protocol = p.t.Protocol,
                host = p.t.Host,
                port = p.t.Port,
                description = p.t.Description,
                labels = p.t.Labels,
                username = p.t.Username,
                hasPassword = p.t.PasswordCiphertext is not null,
                hasPrivateKey = p.t.PrivateKeyCiphertext is not null,
                hasPrivateKeyPassphrase = p.t.PrivateKeyPassphraseCiphertext is not null,
                vncSecurity = p.vnc.Security,
                tlsVerification = TlsVerificationNames.ToText(p.vnc.TlsVerification),
                tlsPin = p.vnc.TlsPin,
                hostKeyPins = p.ssh?.HostKeyPins,
                trustOnFirstUse = p.ssh?.TrustOnFirstUse,
                terminalType = p.ssh?.TerminalType,
                logins = p.ssh?.Logins,
                declared = p.t.Declared,
            })));

        // An administrator confirms an SSH target's new host key (or clears the pins): body {"pins": ["SHA256:..."]}.
        admin.MapPut("/admin/targets/{id}/host-key-pins", async (string id, HostKeyPinsRequest? body, HttpContext http, TargetService targets) =>
        {
            if (body?.Pins is not { } pins)
            {
                return Results.Json(new { error = "the body must be {\"pins\": [...]} (an empty list clears the pins)" }, statusCode: StatusCodes.Status400BadRequest);
            }

            try
            {
                await targets.SetHostKeyPinsAsync(id, pins, http.User.Identity?.Name ?? "admin", http.RequestAborted).ConfigureAwait(false);
            }
            catch (KeyNotFoundException)
            {
                return Results.Json(new { error = $"no target with id '{id}'" }, statusCode: StatusCodes.Status404NotFound);
            }
            catch (ArgumentException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.NoContent();
        });
        return app;
    }

    private static DateTimeOffset? ParseTime(Microsoft.Extensions.Primitives.StringValues v) =>
        v.Count == 0 || string.IsNullOrEmpty(v[0]) ? null : DateTimeOffset.Parse(v[0]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
