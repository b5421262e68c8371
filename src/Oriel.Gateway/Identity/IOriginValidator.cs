using Microsoft.AspNetCore.Http;

namespace Oriel.Gateway.Identity;

/// <summary>Cross-site request check for WebSocket upgrades and state-changing API calls.</summary>
public interface IOriginValidator
{
    /// <summary>
    /// True when the request's Origin header names this gateway: the request's own scheme, host and port (after
    /// trusted forwarded headers), or one of the configured public URLs. A missing or "null" Origin is not allowed.
    /// </summary>
    bool IsAllowed(HttpContext context);
}
