using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Hosting;

/// <summary>A built gateway: start it, read its real addresses, stop it.</summary>
public sealed class GatewayApp : IAsyncDisposable
{
    internal GatewayApp(WebApplication app) => App = app;

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The addresses actually bound (after start; port 0 resolved).</summary>
    public IReadOnlyList<Uri> Addresses =>
        App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];

    /// <summary>The first bound address.</summary>
    public Uri BaseAddress => Addresses.Count > 0 ? Addresses[0] : throw new InvalidOperationException("not started");

    /// <summary>
    /// Migrates the database, applies the configuration file, marks recordings a previous run left unfinished as
    /// incomplete, ensures an administrator, and starts listening.
    /// </summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        var options = Services.GetRequiredService<GatewayOptions>();
        var log = Services.GetRequiredService<ILoggerFactory>().CreateLogger("Oriel.Gateway");
        await PrepareAsync(Services, applyConfigFile: true, ct).ConfigureAwait(false);
        // Not in PrepareAsync: a CLI command run beside a live gateway must not mark its live recordings.
        await Services.GetRequiredService<Recordings.RecordingService>().AbandonUnfinishedAsync(ct).ConfigureAwait(false);
        var firstRun = await Services.GetRequiredService<FirstRunSetup>().EnsureAdminAsync(ct).ConfigureAwait(false);
        await App.StartAsync(ct).ConfigureAwait(false);
        foreach (var address in Addresses)
        {
            Log.Listening(log, address.ToString());
        }

        if (firstRun is { } admin)
        {
            var url = FirstRunSetup.SignInUrl(options.PublicUrls, BaseAddress);
            await options.Output.WriteAsync(FirstRunSetup.Instructions(url, admin.UserName, admin.Password, options.DataDirectory)).ConfigureAwait(false);
            await options.Output.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Applies migrations and, when asked, the configuration file. CLI commands migrate before touching the database.</summary>
    public static async Task PrepareAsync(IServiceProvider services, bool applyConfigFile, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<GatewayOptions>();
        var store = services.GetRequiredService<IOrielStore>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Oriel.Gateway");
        var version = await store.MigrateAsync(services.GetRequiredService<TimeProvider>().GetUtcNow(), ct).ConfigureAwait(false);
        Log.DatabaseReady(log, options.DatabasePath, version);
        _ = services.GetRequiredService<Security.SecretKeyRing>(); // creates secret.key on first start
        if (applyConfigFile && options.ResolveConfigFile() is { } path)
        {
            await services.GetRequiredService<ConfigFileApplier>().ApplyAsync(OrielConfigFile.Load(path), path, ct).ConfigureAwait(false);
        }
    }

    public Task WaitForShutdownAsync(CancellationToken ct = default) => App.WaitForShutdownAsync(ct);

    public Task StopAsync(CancellationToken ct = default) => App.StopAsync(ct);

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
