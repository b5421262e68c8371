using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Hosting;

/// <summary>Every ten minutes, deletes expired sign-in sessions and stale throttle rows.</summary>
public sealed class MaintenanceService(IOrielStore store, GatewayOptions options, TimeProvider time, ILogger<MaintenanceService> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var now = time.GetUtcNow();
                await store.PurgeExpiredAsync(now, now - options.Throttle.Window, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.MaintenanceFailed(log, e);
            }
        }
    }
}
