using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Oriel.Gateway.Access;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;

namespace Oriel.Gateway.Api;

/// <summary>
/// <c>GET /api/targets</c>: the signed-in user's targets (only the link's target for a session a link opened). Host,
/// port and credentials never leave the gateway. SSH targets carry <c>"logins"</c>: the target's username first, then the
/// other logins this user may choose (<c>?login=</c> on the session endpoint).
/// </summary>
public static class TargetEndpoints
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapOrielTargets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/targets", async (HttpContext http, AccessService access) =>
        {
            var list = await access.ListAccessibleTargetsAsync(http.User.GetUserId()!, http.User.GetSessionScope(), http.RequestAborted).ConfigureAwait(false);
            return Results.Json(list.Select(Describe));
        }).RequireAuthorization(GatewayHost.ReadyPolicy).AllowScopedSessions();
        return app;
    }

    /// <summary>One target as the user sees it; an SSH target also lists the logins the user may choose (<see cref="TargetLogins.Offered"/>).</summary>
    private static JsonNode Describe(TargetAccess a)
    {
        var item = JsonSerializer.SerializeToNode(
            new
            {
                id = a.Target.Id,
                name = a.Target.Name,
                protocol = a.Target.Protocol,
                description = a.Target.Description,
                labels = a.Target.Labels,
                permissions = new
                {
                    clipboardRead = a.Permissions.ClipboardRead,
                    clipboardWrite = a.Permissions.ClipboardWrite,
                    resize = a.Permissions.Resize,
                    maxSessions = a.Permissions.MaxSessions,
                    recording = Storage.RecordingSettingNames.ToText(a.Permissions.Recording),
                    recordInput = Storage.RecordingSettingNames.ToText(a.Permissions.RecordInput),
                    fileDownload = a.Permissions.FileDownload,
                    fileUpload = a.Permissions.FileUpload,
                    browserAuthPrompts = a.Permissions.BrowserAuthPrompts,
                },
            },
            JsonOptions)!;
        if (a.Target.Settings is Storage.SshTargetSettings)
        {
            item["logins"] = new JsonArray([.. TargetLogins.Offered(a.Target, a.Permissions).Select(l => (JsonNode)l)]);
        }

        return item;
    }
}
