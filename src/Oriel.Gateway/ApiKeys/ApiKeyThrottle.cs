using Oriel.Gateway.Configuration;
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

    /// <summary>Counts a failed key against the address, atomically with every other update of its row (failed sign-ins share it).</summary>
    public Task RecordFailureAsync(string? address, CancellationToken ct)
    {
        var key = SignInThrottle.AddressKey(address);
        var now = time.GetUtcNow();
        return store.UpdateThrottlesAsync<bool>(
            [key], rows => ([SignInThrottle.CountFailure(rows[0], key, O.MaxFailuresPerAddress, now, O)], true), ct);
    }
}
