using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The sign-in throttle is atomic: a guess is reserved (counted) before its password is verified, so a burst of
/// concurrent guesses cannot verify more passwords than the limit. Counted at the hasher
/// (<see cref="PasswordHasher.VerificationCount"/>) of a real gateway, and at the store shared by two "processes".
/// </summary>
public sealed class SignInThrottleConcurrencyTests
{
    private const int Burst = 50;

    /// <summary>
    /// Slow enough hashing (tens of milliseconds a guess) that the whole burst arrives while the first guesses are
    /// still being verified: a check made before verifying, and a count made after, would let them all through.
    /// </summary>
    private const int SlowIterations = 300_000;

    private const string Address = "192.0.2.7";

    private static async Task<ThrottleRecord> AddressRowAsync(IOrielStore store) =>
        (await store.FindThrottleAsync(SignInThrottle.AddressKey(Address)))!;

    private static Task<TestGateway> StartAsync() => TestGateway.StartAsync(o => o.PasswordIterations = SlowIterations);

    /// <summary>Fires <paramref name="guesses"/> as concurrent sign-ins (each its own client, CSRF token fetched first) and returns their statuses.</summary>
    private static async Task<HttpStatusCode[]> BurstAsync(TestGateway gw, IReadOnlyList<(string User, string Password)> guesses)
    {
        var clients = guesses.Select(_ => gw.NewClient()).ToList();
        try
        {
            foreach (var c in clients)
            {
                await c.CsrfAsync();
            }

            using var start = new SemaphoreSlim(0);
            var tasks = guesses.Select(async (g, i) =>
            {
                await start.WaitAsync();
                using var r = await clients[i].SignInAsync(g.User, g.Password);
                return r.StatusCode;
            }).ToList();
            start.Release(guesses.Count);
            return await Task.WhenAll(tasks);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task FiftyConcurrentWrongGuesses_VerifyAtMostTheUserLimit()
    {
        await using var gw = await StartAsync();
        await gw.Get<UserService>().CreateAsync("bob", "bob-password-123", false, [], false, "test");
        var limit = gw.Get<GatewayOptions>().Throttle.MaxFailuresPerUser;
        var hasher = gw.Get<PasswordHasher>();
        var before = hasher.VerificationCount;

        var statuses = await BurstAsync(gw, [.. Enumerable.Range(0, Burst).Select(i => ("bob", $"wrong-guess-{i:00}"))]);

        var verified = hasher.VerificationCount - before;
        var answered = statuses.Count(s => s != HttpStatusCode.TooManyRequests);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.InRange(verified, 1, limit);
        Assert.Equal(verified, answered); // every answer that is not 429 was a verification, and no 429 was

        // Locked now: even the right password waits, unverified.
        using var bob = gw.NewClient();
        using var locked = await bob.SignInAsync("bob", "bob-password-123");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal(verified, hasher.VerificationCount - before);
    }

    [Fact]
    public async Task FiftyConcurrentGuessesAtManyNames_VerifyAtMostTheAddressLimit()
    {
        await using var gw = await StartAsync();
        var limit = gw.Get<GatewayOptions>().Throttle.MaxFailuresPerAddress;
        var hasher = gw.Get<PasswordHasher>();
        var before = hasher.VerificationCount;

        // Password spraying: one guess per name, so only the address counter can stop it (unknown names verify a dummy
        // hash); every other one with a password over the length limit, which is refused after a dummy hash too.
        var statuses = await BurstAsync(gw, [.. Enumerable.Range(0, Burst).Select(i => ($"user{i:00}", i % 2 == 0 ? "Summer2026!" : new string('x', 2000)))]);

        var verified = hasher.VerificationCount - before;
        Assert.InRange(verified, 1, limit);
        Assert.Equal(verified, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task RightAndWrongGuessesMixed_StayWithinTheLimits_AndARightOneStillSignsIn()
    {
        await using var gw = await StartAsync();
        await gw.Get<UserService>().CreateAsync("bob", "bob-password-123", false, [], false, "test");
        var o = gw.Get<GatewayOptions>().Throttle;
        var hasher = gw.Get<PasswordHasher>();
        var before = hasher.VerificationCount;

        // Every tenth guess is right. A success clears the username's count (as before), so wrong guesses get up to
        // the user limit again after each success; the address counter, which a success does not clear, bounds them all.
        var statuses = await BurstAsync(gw, [.. Enumerable.Range(0, Burst).Select(i => ("bob", i % 10 == 9 ? "bob-password-123" : $"wrong-{i:00}"))]);

        var verified = hasher.VerificationCount - before;
        var successes = statuses.Count(s => s == HttpStatusCode.OK);
        var failures = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.Equal(verified, successes + failures);
        Assert.InRange(failures, 1, Math.Min(o.MaxFailuresPerAddress, o.MaxFailuresPerUser * (successes + 1)));

        // Successes gave their reservations back: the address counts the failures only, exactly.
        var address = await gw.Get<IOrielStore>().FindThrottleAsync(SignInThrottle.AddressKey("127.0.0.1"));
        Assert.Equal(failures, address!.Failures);
    }

    [Fact]
    public async Task TwoProcessesSharingTheDatabase_ReserveNoMoreThanTheLimitTogether()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        try
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
            var path = Path.Combine(dir, GatewayOptions.DatabaseFileName);
            var options = new GatewayOptions { DataDirectory = dir };
            var first = new SqliteOrielStore(path);
            await first.MigrateAsync(time.GetUtcNow());
            var second = new SqliteOrielStore(path); // its own lock and connection pool, as another process would have
            var throttles = new[] { new SignInThrottle(first, options, time), new SignInThrottle(second, options, time) };

            using var start = new SemaphoreSlim(0);
            var tasks = Enumerable.Range(0, Burst).Select(async i =>
            {
                await start.WaitAsync();
                return await throttles[i % 2].TryReserveAsync("bob", Address, CancellationToken.None);
            }).ToList();
            start.Release(Burst);
            var reservations = await Task.WhenAll(tasks);

            var o = options.Throttle;
            Assert.Equal(o.MaxFailuresPerUser, reservations.Count(r => r.Granted));
            Assert.All(reservations.Where(r => !r.Granted), r => Assert.Equal(o.BaseLockout, r.RetryAfter!.Value));
            Assert.Equal(o.MaxFailuresPerUser, (await second.FindThrottleAsync(SignInThrottle.UserKey("bob")))!.Failures);

            // A right guess clears the username and gives the address its reservation back.
            await throttles[1].RecordSuccessAsync("bob", reservations.First(r => r.Granted), CancellationToken.None);
            Assert.Null(await first.FindThrottleAsync(SignInThrottle.UserKey("bob")));
            Assert.Equal(o.MaxFailuresPerUser - 1, (await AddressRowAsync(first)).Failures);

            // At the address limit the address locks; giving back the reservation that locked it unlocks it.
            ThrottleReservation? last = null;
            for (var i = o.MaxFailuresPerUser - 1; i < o.MaxFailuresPerAddress; i++)
            {
                last = await throttles[i % 2].TryReserveAsync($"spray{i}", Address, CancellationToken.None);
                Assert.True(last.Granted);
            }

            Assert.False((await throttles[0].TryReserveAsync("someone", Address, CancellationToken.None)).Granted);
            await throttles[0].GiveBackAsync(last!, CancellationToken.None);
            Assert.True((await throttles[1].TryReserveAsync("someone", Address, CancellationToken.None)).Granted);
            Assert.False((await throttles[1].TryReserveAsync("someone-else", Address, CancellationToken.None)).Granted);

            // The lock lapses with time (a FakeTimeProvider, not the wall clock). The next guess is one more failure in
            // the same window and locks again, for longer; when it is right, giving it back restores the lapsed lock:
            // one person's success does not lock the address for everyone else.
            time.Advance(o.BaseLockout + TimeSpan.FromSeconds(1));
            var right = await throttles[0].TryReserveAsync("carol", Address, CancellationToken.None);
            Assert.True(right.Granted);
            Assert.True((await AddressRowAsync(second)).LockedUntil > time.GetUtcNow());
            await throttles[1].RecordSuccessAsync("carol", right, CancellationToken.None);
            Assert.True((await AddressRowAsync(second)).LockedUntil <= time.GetUtcNow());
            Assert.Equal(o.MaxFailuresPerAddress, (await AddressRowAsync(second)).Failures);

            // A lock set by something else meanwhile (a failed API key on the same address row) is not undone.
            var dave = await throttles[0].TryReserveAsync("dave", Address, CancellationToken.None);
            Assert.True(dave.Granted);
            time.Advance(TimeSpan.FromSeconds(1));
            await new ApiKeys.ApiKeyThrottle(second, options, time).RecordFailureAsync(Address, CancellationToken.None);
            var keyLock = (await AddressRowAsync(second)).LockedUntil;
            await throttles[1].RecordSuccessAsync("dave", dave, CancellationToken.None);
            Assert.Equal(keyLock, (await AddressRowAsync(first)).LockedUntil);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
