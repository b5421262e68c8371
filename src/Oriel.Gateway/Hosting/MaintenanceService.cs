using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Hosting;

/// <summary>
/// Every ten minutes, deletes expired sign-in sessions and stale throttle rows, and recordings past their
/// retention (<see cref="RecordingRetention"/>, when configured). One job failing does not stop the other.
/// </summary>
public sealed class MaintenanceService(IOrielStore store, GatewayOptions options, RecordingRetention retention, TimeProvider time, ILogger<MaintenanceService> log) : BackgroundService
{
    /// <summary>Time between runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

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

            try
            {
                await retention.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.MaintenanceFailed(log, e);
            }
        }
    }
}
