using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Maps the session endpoints: the TDP WebSocket for rendered desktops and the passthrough channel
/// (<see cref="PassthroughEndpoint"/>). Both check their request and hand the rest to the <see cref="SessionHost"/>;
/// neither names a protocol (the adapters are registered with <see cref="AddOrielProtocol{TAdapter}"/>).
/// </summary>
public static partial class SessionEndpoints
{
    public static IServiceCollection AddOrielSessions(this IServiceCollection services)
    {
        services.AddSingleton<SessionBroker>();
        services.AddSingleton<SessionRevalidator>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRevalidator>());
        services.AddSingleton<Recordings.RecordingPaths>();
        services.AddSingleton<Recordings.RecordingService>();
        services.AddSingleton<ISessionObserverFactory, Recordings.RecordingObserverFactory>();
        services.AddSingleton<LiveViews>();
        services.AddSingleton<ISessionObserverFactory, LiveViewObserverFactory>(); // after the recorder: its notices are recorded
        services.TryAddSingleton<ProtocolRegistry>();
        return services;
    }

    /// <summary>Registers a protocol adapter (a singleton), found by its protocol name through the <see cref="ProtocolRegistry"/>.</summary>
    public static IServiceCollection AddOrielProtocol<TAdapter>(this IServiceCollection services) where TAdapter : class, IProtocolAdapter
    {
        services.AddSingleton<IProtocolAdapter, TAdapter>();
        return services;
    }

    public static IEndpointRouteBuilder MapOrielSessions(this IEndpointRouteBuilder app)
    {
        app.Map("/api/sessions/{targetId}/tdp", HandleTdpAsync);
        app.Map(PassthroughEndpoint.Route, PassthroughEndpoint.HandleAsync);
        app.Map(LiveWatchEndpoint.Route, LiveWatchEndpoint.HandleAsync);
        app.MapGet("/api/sessions", Api.LiveSessionEndpoints.ListAsync).RequireAuthorization(Hosting.GatewayHost.ReadyPolicy);
        return app;
    }

    /// <summary>A rendered session: the request must be a WebSocket; the <see cref="SessionHost"/> does the rest.</summary>
    private static async Task HandleTdpAsync(HttpContext http, string targetId)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = "This endpoint takes a WebSocket." }, http.RequestAborted).ConfigureAwait(false);
            return;
        }
        await SessionHost.HostAsync(http, targetId, RenderedSessionKind.Instance).ConfigureAwait(false);
    }
}
