using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.ApiKeys;

/// <summary>
/// Failure counting for bearer keys, on the same per-address counter and with the same thresholds as sign-in
/// (<see cref="SignInThrottle.AddressKey"/>, <see cref="SignInThrottleOptions"/>): after
/// <see cref="SignInThrottleOptions.MaxFailuresPerAddress"/> failed passwords or keys from one address within the
/// window, that address is locked out of both. There is no per-key counter: a key is 256 random bits, so one
/// could only serve to let anyone who knows a key's prefix lock its portal out.
/// </summary>
public sealed class ApiKeyThrottle(IOrielStore store, GatewayOptions options, TimeProvider time)
{
    private SignInThrottleOptions O => options.Throttle;

    /// <summary>How long the address must wait, or null when a key may be tried now.</summary>
    public async Task<TimeSpan?> CheckAsync(string? address, CancellationToken ct)
    {
        var row = await store.FindThrottleAsync(SignInThrottle.AddressKey(address), ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return row is not null && row.LockedUntil > now ? row.LockedUntil - now : null;
    }

    public async Task RecordFailureAsync(string? address, CancellationToken ct)
    {
        var key = SignInThrottle.AddressKey(address);
        var now = time.GetUtcNow();
        var row = await store.FindThrottleAsync(key, ct).ConfigureAwait(false);
        if (row is null || (now - row.WindowStart > O.Window && row.LockedUntil <= now))
        {
            row = new ThrottleRecord(key, 0, now, DateTimeOffset.UnixEpoch);
        }

        var failures = row.Failures + 1;
        var locked = row.LockedUntil;
        if (failures >= O.MaxFailuresPerAddress)
        {
            var doublings = Math.Min(failures - O.MaxFailuresPerAddress, 20);
            locked = now + TimeSpan.FromTicks(Math.Min(O.MaxLockout.Ticks, O.BaseLockout.Ticks << doublings));
        }

        await store.SaveThrottleAsync(new ThrottleRecord(key, failures, row.WindowStart, locked), ct).ConfigureAwait(false);
    }
}
