using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// <c>/api/sessions/{targetId}/rfb</c>: the authenticated passthrough channel for clients that speak the target's
/// protocol themselves (stock noVNC), websockify-compatible (binary messages; the <c>binary</c> subprotocol is
/// accepted when offered). The browser names a target id only: a query that tries to name anything is
/// refused with 400. Checks in order: WebSocket, query, then the <see cref="SessionHost"/>'s: Origin, signed-in user,
/// access to the target (the same <see cref="IAccessService"/> decision as rendered sessions, so a link-token sign-in
/// that produced a cookie session works unchanged), a protocol whose adapter offers passthrough (VNC:
/// <see cref="VncProtocol"/>), the broker's session limit. For VNC the gateway then logs in to the target with the
/// stored credentials and offers the viewer security type None (<see cref="PassthroughRelay"/>), so the browser never
/// sees the target's password; the session is audited (start, end with bytes each way), recorded to
/// <c>DATA/recordings/&lt;sessionId&gt;.orec</c>, and ends through the same catch ladder as the TDP path.
/// docs/passthrough.md.
/// </summary>
public static class PassthroughEndpoint
{
    public const string Route = "/api/sessions/{targetId}/rfb";
    public const string Kind = SessionKinds.Passthrough;
    public const string BinarySubprotocol = "binary";

    /// <summary>Query parameters the endpoint understands: none. Anything else (host, port, target, ...) is refused.</summary>
    public static IReadOnlySet<string> AllowedQueryParameters { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public static async Task HandleAsync(HttpContext http, string targetId)
    {
        ArgumentNullException.ThrowIfNull(http);
        var kind = PassthroughSessionKind.Instance;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(http, StatusCodes.Status400BadRequest, "This endpoint takes a WebSocket.").ConfigureAwait(false);
            return;
        }
        var unknown = http.Request.Query.Keys.Where(k => !AllowedQueryParameters.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(kind.LoggerCategory);
            var reason = $"the query may not name a host, port or anything else (got: {string.Join(", ", unknown)})";
            await SessionAdmission.AuditRefusalAsync(http, AuditEvents.SessionDenied(http.User.Identity?.Name, targetId, http.Connection.RemoteIpAddress?.ToString(), reason),
                "query", () => kind.LogRefused(logger, targetId, "query parameters")).ConfigureAwait(false);
            await RefuseAsync(http, StatusCodes.Status400BadRequest, "Refused: " + reason + ". Name the target by its id in the path only.").ConfigureAwait(false);
            return;
        }
        await SessionHost.HostAsync(http, targetId, kind).ConfigureAwait(false);
    }

    private static async Task RefuseAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new { error }, http.RequestAborted).ConfigureAwait(false);
    }
}
