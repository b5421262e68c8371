using Microsoft.AspNetCore.Http;

namespace Oriel.Gateway.Hosting;

/// <summary>
/// Response headers on everything: a strict Content-Security-Policy (scripts, styles and fonts only from the
/// gateway; images also from blob:/data: for desktop frames; WebSockets to any ws:/wss:, which connect-src 'self'
/// alone would not allow in every browser; <c>'wasm-unsafe-eval'</c> so that the terminal recordings player, npm
/// asciinema-player, may compile the WebAssembly terminal emulator it carries in its own bundled script: it allows
/// WebAssembly compilation only, not JavaScript's eval), no framing, no MIME sniffing, no referrer. API responses are
/// never cached.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; " +
        "base-uri 'self'; form-action 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(
            static state =>
            {
                var ctx = (HttpContext)state;
                var h = ctx.Response.Headers;
                h.ContentSecurityPolicy = ContentSecurityPolicy;
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h["Referrer-Policy"] = "no-referrer";
                h["Cross-Origin-Opener-Policy"] = "same-origin";
                h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    h.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            },
            context);
        return next(context);
    }
}
