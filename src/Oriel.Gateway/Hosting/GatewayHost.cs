using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Api;
using Oriel.Gateway.ApiKeys;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Links;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Recordings.Export;
using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Hosting;

/// <summary>
/// Builds the gateway web host. <see cref="CreateBuilder(GatewayOptions)"/> registers services (add more to the
/// returned builder), <see cref="Build"/> assembles the pipeline; <see cref="GatewayApp.StartAsync"/> migrates,
/// applies the configuration file, creates the first administrator and starts listening.
/// </summary>
public static class GatewayHost
{
    public const string CookieName = "oriel_session";
    public const string ReadyPolicy = "ready";
    public const string AdminPolicy = "admin";

    /// <summary>Convenience for tests and embedding: <c>--data DIR --urls URL --config FILE --web-root DIR</c>.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new GatewayOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data": options.DataDirectory = args[i + 1]; break;
                case "--urls": options.Urls = args[i + 1].Split(';', StringSplitOptions.RemoveEmptyEntries); break;
                case "--config": options.ConfigFile = args[i + 1]; break;
                case "--web-root": options.WebRoot = args[i + 1]; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return CreateBuilder(options);
    }

    public static WebApplicationBuilder CreateBuilder(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MergeConfigFileSettings(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var services = builder.Services;
        services.AddOrielCore(options);
        services.AddHostedService<MaintenanceService>();
        services.AddSingleton<Recordings.PlayableRecordings>(); // the playable (TDP) file of every recording, passthrough ones transcoded
        services.AddSingleton<Recordings.IPlayableRecordings>(sp => sp.GetRequiredService<Recordings.PlayableRecordings>()); // what the recordings API serves
        services.AddSingleton<Recordings.RecordingRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<Audit.RefusalAuditor>()); // its timer writes the refusal summaries
        services.AddDataProtection()
            .SetApplicationName("oriel")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        services.AddAuthentication(ApiKeyAuthentication.SelectorScheme)
            .AddCookie(OrielClaims.AuthenticationScheme, c =>
            {
                c.Cookie.Name = CookieName;
                c.Cookie.HttpOnly = true;
                c.Cookie.SameSite = SameSiteMode.Strict;
                c.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                c.Cookie.IsEssential = true;
                c.ExpireTimeSpan = options.SessionMaxLifetime;
                c.SlidingExpiration = false;
                c.EventsType = typeof(SessionCookieEvents);
            })
            .AddOrielApiKeys();
        services.AddSingleton<SessionCookieEvents>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ReadyPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(a => !a.User.MustChangePasswordNow()))
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(OrielClaims.AdminRole)
                .RequireAssertion(a => !a.User.MustChangePasswordNow()));
        if (options.TrustForwardedHeaders)
        {
            services.Configure<ForwardedHeadersOptions>(f =>
            {
                f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                f.KnownProxies.Add(IPAddress.Loopback);
                f.KnownProxies.Add(IPAddress.IPv6Loopback);
            });
        }

        services.AddOrielSessions();
        services.AddOrielProtocol<VncProtocol>(); // the protocols this gateway speaks, found by name (ProtocolRegistry)
        services.AddSingleton<Ssh.ISshConnector, Ssh.SshNetConnector>(); // Oriel's SSH client (SSH.NET behind it)
        services.AddOrielProtocol<Ssh.SshProtocol>();
        services.AddSingleton<Ssh.ISshFileAccessRegistry, Ssh.SshFileAccessRegistry>(); // live SSH sessions whose file panel may be used
        services.AddSingleton<Ssh.ISshHostKeyStore, Targets.SshHostKeyStore>(); // SSH host keys pinned on first use
        services.AddOrielSshFiles(); // their SFTP file panels (Api/SshFileEndpoints)
        services.AddOrielLinks();
        services.AddOrielRecordingExport();
        return builder;
    }

    /// <summary>Builds the app and its request pipeline.</summary>
    public static GatewayApp Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        var options = app.Services.GetRequiredService<GatewayOptions>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Oriel.Gateway");
        if (options.TrustForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<CsrfProtection>();
        var webRoot = WebRootLocator.Find(options.WebRoot, app.Environment.ContentRootPath, AppContext.BaseDirectory);
        PhysicalFileProvider? files = null;
        if (webRoot is null)
        {
            Log.WebRootMissing(log);
        }
        else
        {
            Log.WebRootFound(log, webRoot);
            files = new PhysicalFileProvider(webRoot);
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

        app.MapOrielAuth();
        app.MapOrielTargets();
        app.MapOrielAdmin();

        app.MapOrielSessions();
        app.MapOrielSshFiles();
        app.MapOrielLinks();
        app.MapOrielRecordings();
        app.MapOrielRecordingExport();

        app.Map("/api/{**rest}", () => Results.Json(new { error = "not found" }, statusCode: StatusCodes.Status404NotFound));
        if (files is not null)
        {
            app.MapFallbackToFile("/novnc/{*path:nonfile}", "novnc/index.html", new StaticFileOptions { FileProvider = files });
            app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
        }

        return new GatewayApp(app);
    }

    private static void MergeConfigFileSettings(GatewayOptions options)
    {
        var path = options.ResolveConfigFile();
        if (path is null)
        {
            return;
        }

        var file = OrielConfigFile.Load(path);
        if (file.PublicUrls is { Count: > 0 } urls)
        {
            options.PublicUrls = [.. options.PublicUrls, .. urls];
        }

        options.TrustForwardedHeaders |= file.TrustForwardedHeaders == true;
        options.WebRoot ??= file.WebRoot;
        options.SessionTimeouts = SessionTimeoutsSection.Apply(options.SessionTimeouts, file.SessionTimeouts, path);
        options.RecordingRetention = RecordingsSection.Retention(options.RecordingRetention, file.Recordings, path);
        if (file.RecordingKeyframeSeconds is { } keyframe)
        {
            if (!(keyframe >= 0.5 && keyframe <= 600))
            {
                throw new InvalidDataException($"{path}: recordingKeyframeSeconds must be 0.5-600 seconds (got {keyframe})");
            }
            options.RecordingKeyframeInterval = TimeSpan.FromSeconds(keyframe);
        }
    }
}
