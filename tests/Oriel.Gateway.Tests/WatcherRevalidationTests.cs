using Microsoft.Extensions.Logging.Abstractions;
using Oriel.Gateway.Access;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Open live views are re-checked with the live sessions (<see cref="SessionRevalidator"/>, against the gateway's real
/// database): a watcher whose role lost WatchLive, or who was signed out, has the view closed with the reason; a watcher
/// whose access holds keeps watching.
/// </summary>
public sealed class WatcherRevalidationTests
{
    private static async Task<(UserRecord User, System.Security.Claims.ClaimsPrincipal Principal)> SignInAsync(TestGateway gw, string name, string role)
    {
        await gw.Get<UserService>().CreateAsync(name, name + "-password-123", false, [role], false, "test");
        var store = gw.Get<IOrielStore>();
        var user = (await store.FindUserByNameAsync(name))!;
        var now = gw.Get<TimeProvider>().GetUtcNow();
        var sessionId = Secrets.NewToken();
        await store.CreateSignInSessionAsync(new SignInSessionRecord(Secrets.Sha256Hex(sessionId), user.Id, now, now, now.AddHours(1), null, null));
        var principal = (await gw.Get<SignInService>().ValidateAsync(OrielClaims.Create(user, sessionId), CancellationToken.None))!;
        Assert.True(await gw.Get<IAccessService>().MayWatchLiveAsync(principal, CancellationToken.None));
        return (user, principal);
    }

    private static LiveWatcher Watcher(string name, System.Security.Claims.ClaimsPrincipal principal, TimeProvider time) =>
        new(name, new LiveWatcherQueue(LiveWatcher.MaxQueuedBytes, LiveWatcher.MaxQueuedMessages, LiveWatcher.MinKeyframeInterval, time))
        {
            Principal = principal,
        };

    [Fact]
    public async Task A_watcher_whose_role_loses_WatchLive_is_cut_off_and_one_who_signed_out_too_but_an_unaffected_watcher_stays()
    {
        await using var gw = await TestGateway.StartAsync();
        var roles = gw.Get<RoleService>();
        var watchers = new RoleRecord("watchers", "", [], [], false, false, false, null, false) { WatchLive = true };
        await roles.SaveAsync(watchers, "test");
        await roles.SaveAsync(new RoleRecord("auditors", "", [], [], false, false, false, null, false) { WatchLive = true }, "test");
        var (_, carol) = await SignInAsync(gw, "carol", "watchers");
        var (_, davePrincipal) = await SignInAsync(gw, "dave", "auditors");
        var (erin, erinPrincipal) = await SignInAsync(gw, "erin", "auditors");

        var time = gw.Get<TimeProvider>();
        var views = gw.Get<LiveViews>();
        var view = new LiveView(new LiveSession("watched-1", "u-alice", "alice", "t1", "vnc", SessionKinds.Rendered, null, time.GetUtcNow()), views, time, NullLogger.Instance);
        views.Add(view);
        try
        {
            var carolWatches = Watcher("carol", carol, time);
            var daveWatches = Watcher("dave", davePrincipal, time);
            var erinWatches = Watcher("erin", erinPrincipal, time);
            view.Join(carolWatches);
            view.Join(daveWatches);
            view.Join(erinWatches);
            var revalidator = gw.Get<SessionRevalidator>();

            // Nothing changed: every view stays open.
            Assert.Equal(0, await revalidator.RevalidateWatchersAsync(CancellationToken.None));
            Assert.All([carolWatches, daveWatches, erinWatches], w => Assert.False(w.Revoked.IsCancellationRequested));

            // The watchers role no longer grants WatchLive, and erin is signed out everywhere.
            await roles.SaveAsync(watchers with { WatchLive = false }, "test");
            await gw.Get<IOrielStore>().DeleteSignInSessionsForUserAsync(erin.Id, null);
            Assert.Equal(2, await revalidator.RevalidateWatchersAsync(CancellationToken.None));

            Assert.True(carolWatches.Revoked.IsCancellationRequested);
            Assert.Equal("Your permission to watch sessions was withdrawn.", carolWatches.RevokedReason);
            Assert.True(erinWatches.Revoked.IsCancellationRequested);
            Assert.Equal(SessionRevalidator.WatcherSignedOut, erinWatches.RevokedReason);
            Assert.False(daveWatches.Revoked.IsCancellationRequested);
            Assert.Null(daveWatches.RevokedReason);

            // A view already closed is not checked (nor counted) again; dave still holds.
            Assert.Equal(0, await revalidator.RevalidateWatchersAsync(CancellationToken.None));
            Assert.False(daveWatches.Revoked.IsCancellationRequested);
        }
        finally
        {
            await view.DisposeAsync();
        }
    }
}
