using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Oriel.Gateway.Access;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;

namespace Oriel.Gateway.Api;

/// <summary>
/// <c>GET /api/targets</c>: the signed-in user's targets (only the link's target for a session a link opened). Host,
/// port and credentials never leave the gateway.
/// </summary>
public static class TargetEndpoints
{
    public static IEndpointRouteBuilder MapOrielTargets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/targets", async (HttpContext http, AccessService access) =>
        {
            var list = await access.ListAccessibleTargetsAsync(http.User.GetUserId()!, http.User.GetSessionScope(), http.RequestAborted).ConfigureAwait(false);
            return Results.Json(list.Select(a => new
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
                },
            }));
        }).RequireAuthorization(GatewayHost.ReadyPolicy).AllowScopedSessions();
        return app;
    }
}
