using Oriel.Gateway.Configuration;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Identity;

/// <summary>
/// Per-username and per-address failure counting, persisted in the store so it survives restarts.
/// A guess is <em>reserved</em> before the password is verified: one atomic store update (<see cref="IOrielStore.UpdateThrottlesAsync"/>)
/// checks both keys' locks and counts the guess as a failure of both, locking a key that reaches its limit. So a burst
/// of concurrent guesses, from one process or several sharing the database, verifies at most as many passwords as the
/// limits allow; the rest are refused unverified. A failed guess needs nothing more (it was counted); a successful one
/// is given back (<see cref="RecordSuccessAsync"/>). A guess that dies between reservation and verdict stays counted.
/// </summary>
public sealed class SignInThrottle(IOrielStore store, GatewayOptions options, TimeProvider time)
{
    private SignInThrottleOptions O => options.Throttle;

    public static string UserKey(string username) => "user:" + username.Trim().ToLowerInvariant();

    public static string AddressKey(string? address) => "ip:" + (address ?? "unknown");

    /// <summary>
    /// Reserves one guess for <paramref name="username"/> from <paramref name="address"/>: granted when neither key is
    /// locked, and then already counted as a failure of both; otherwise how long the caller must wait (nothing is
    /// counted then).
    /// </summary>
    public Task<ThrottleReservation> TryReserveAsync(string username, string? address, CancellationToken ct)
    {
        var keys = new[] { UserKey(username), AddressKey(address) };
        var thresholds = new[] { O.MaxFailuresPerUser, O.MaxFailuresPerAddress };
        var now = time.GetUtcNow();
        return store.UpdateThrottlesAsync(keys, rows =>
        {
            TimeSpan? wait = null;
            foreach (var row in rows)
            {
                if (row is not null && row.LockedUntil > now)
                {
                    var left = row.LockedUntil - now;
                    wait = wait is null || left > wait ? left : wait;
                }
            }

            if (wait is not null)
            {
                return ([], new ThrottleReservation(wait, []));
            }

            var save = new ThrottleRecord[keys.Length];
            var reserved = new ReservedThrottleKey[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                save[i] = CountFailure(rows[i], keys[i], thresholds[i], now, O);
                reserved[i] = new ReservedThrottleKey(keys[i], rows[i]?.LockedUntil ?? DateTimeOffset.UnixEpoch, save[i].LockedUntil);
            }

            return (save, new ThrottleReservation(null, reserved));
        }, ct);
    }

    /// <summary>
    /// A reserved guess was right: the username's count is cleared, as before; the address's count gets the
    /// reservation back (a success is no failure), but no more: one good account must not unlock spraying.
    /// </summary>
    public async Task RecordSuccessAsync(string username, ThrottleReservation reservation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var user = UserKey(username);
        await store.DeleteThrottleAsync(user, ct).ConfigureAwait(false);
        foreach (var key in reservation.Keys.Where(k => k.Key != user))
        {
            await GiveBackAsync(key, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A reserved guess was right but does not clear the username's count (a password change): every key gets the reservation back.</summary>
    public async Task GiveBackAsync(ThrottleReservation reservation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        foreach (var key in reservation.Keys)
        {
            await GiveBackAsync(key, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The row after one more failure: a fresh window when the old one is over and the key not locked; at the
    /// threshold and beyond, locked for <see cref="SignInThrottleOptions.BaseLockout"/>, doubling with each further
    /// failure up to <see cref="SignInThrottleOptions.MaxLockout"/>. Shared with the API-key throttle (same address rows).
    /// </summary>
    internal static ThrottleRecord CountFailure(ThrottleRecord? row, string key, int threshold, DateTimeOffset now, SignInThrottleOptions o)
    {
        if (row is null || (now - row.WindowStart > o.Window && row.LockedUntil <= now))
        {
            row = new ThrottleRecord(key, 0, now, DateTimeOffset.UnixEpoch);
        }

        var failures = row.Failures + 1;
        var locked = row.LockedUntil;
        if (failures >= threshold)
        {
            var doublings = Math.Min(failures - threshold, 20);
            var ticks = Math.Min(o.MaxLockout.Ticks, o.BaseLockout.Ticks << doublings);
            locked = now + TimeSpan.FromTicks(ticks);
        }

        return new ThrottleRecord(key, failures, row.WindowStart, locked);
    }

    /// <summary>
    /// Takes one reservation back: one failure less; and when the row still has the lock the reservation set, the lock
    /// it had before (not in force then). A lock set since by something else (a failed API key) stays.
    /// </summary>
    private Task GiveBackAsync(ReservedThrottleKey reserved, CancellationToken ct) =>
        store.UpdateThrottlesAsync<bool>([reserved.Key], rows =>
        {
            if (rows[0] is not { Failures: > 0 } row)
            {
                return ([], false);
            }

            // The store keeps milliseconds: compare at that precision.
            var ours = row.LockedUntil.ToUnixTimeMilliseconds() == reserved.LockAfter.ToUnixTimeMilliseconds();
            var locked = ours ? reserved.LockBefore : row.LockedUntil;
            return ([row with { Failures = row.Failures - 1, LockedUntil = locked }], true);
        }, ct);
}
