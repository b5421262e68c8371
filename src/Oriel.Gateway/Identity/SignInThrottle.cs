using Oriel.Gateway.Hosting;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Identity;

/// <summary>Per-username and per-address failure counting, persisted in the store so it survives restarts.</summary>
public sealed class SignInThrottle(IOrielStore store, GatewayOptions options, TimeProvider time)
{
    private SignInThrottleOptions O => options.Throttle;

    public static string UserKey(string username) => "user:" + username.Trim().ToLowerInvariant();

    public static string AddressKey(string? address) => "ip:" + (address ?? "unknown");

    /// <summary>How long the caller must wait, or null when a sign-in may be tried now.</summary>
    public async Task<TimeSpan?> CheckAsync(string username, string? address, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var key in new[] { UserKey(username), AddressKey(address) })
        {
            var row = await store.FindThrottleAsync(key, ct).ConfigureAwait(false);
            if (row is not null && row.LockedUntil > now)
            {
                var left = row.LockedUntil - now;
                wait = wait is null || left > wait ? left : wait;
            }
        }

        return wait;
    }

    public async Task RecordFailureAsync(string username, string? address, CancellationToken ct)
    {
        await BumpAsync(UserKey(username), O.MaxFailuresPerUser, ct).ConfigureAwait(false);
        await BumpAsync(AddressKey(address), O.MaxFailuresPerAddress, ct).ConfigureAwait(false);
    }

    /// <summary>A success clears the username's count (not the address's: one good account must not unlock spraying).</summary>
    public Task RecordSuccessAsync(string username, CancellationToken ct) => store.DeleteThrottleAsync(UserKey(username), ct);

    private async Task BumpAsync(string key, int threshold, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var row = await store.FindThrottleAsync(key, ct).ConfigureAwait(false);
        if (row is null || (now - row.WindowStart > O.Window && row.LockedUntil <= now))
        {
            row = new ThrottleRecord(key, 0, now, DateTimeOffset.UnixEpoch);
        }

        var failures = row.Failures + 1;
        var locked = row.LockedUntil;
        if (failures >= threshold)
        {
            var doublings = Math.Min(failures - threshold, 20);
            var ticks = Math.Min(O.MaxLockout.Ticks, O.BaseLockout.Ticks << doublings);
            locked = now + TimeSpan.FromTicks(ticks);
        }

        await store.SaveThrottleAsync(new ThrottleRecord(key, failures, row.WindowStart, locked), ct).ConfigureAwait(false);
    }
}
