using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Cli;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Links;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Requests refused before authentication cannot grow the audit log without bound (<see cref="RefusalAuditor"/>):
/// 1,000 refused unauthenticated WebSocket upgrades and a few hundred malformed or forged links leave one row per
/// source, a summary per window counts the rest exactly, the hash chain still verifies (and <c>oriel audit verify</c>
/// says so); refusals of a signed-in user are still audited every time.
/// </summary>
public sealed class RefusalAuditTests
{
    private const string Foreign = "https://attacker.example";

    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The HTTP status of a WebSocket upgrade to <paramref name="path"/> with the given Origin and (optionally) a browser's cookies.</summary>
    private static async Task<HttpStatusCode> UpgradeAsync(TestGateway gw, string path, string origin, ApiClient? browser = null)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.SetRequestHeader("Origin", origin);
        if (browser is not null)
        {
            ws.Options.Cookies = browser.Cookies;
        }

        try
        {
            await ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None);
            ws.Abort();
        }
        catch (WebSocketException)
        {
        }

        return ws.HttpStatusCode;
    }

    private static async Task<IReadOnlyList<AuditEvent>> AllAuditAsync(TestGateway gw) =>
        await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Limit = AuditQuery.MaxLimit, OldestFirst = true });

    private static async Task<(int Code, string Out)> CliAsync(TestGateway gw, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new OrielCli(output, error, new StringReader("")) { ConfigureOptions = TestGateway.Configure };
        var code = await cli.InvokeAsync([.. args, "--data", gw.DataDir]);
        return (code, output.ToString() + error);
    }

    [Fact]
    public async Task AThousandRefusedUnauthenticatedUpgrades_LeaveAFewRows_CountedExactly_AndTheChainVerifies()
    {
        var time = new FakeTimeProvider(Start);
        await using var gw = await TestGateway.StartAsync(o => o.TimeProvider = time);
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("desk", "desk", "127.0.0.1", 5999, "", new Dictionary<string, string>(), null, null, new VncTargetSettings(["none"], TlsVerification.System, null), false),
            null, "test");
        var ownOrigin = gw.BaseAddress.GetLeftPart(UriPartial.Authority);
        var before = (await AllAuditAsync(gw)).Count;

        // 1,000 upgrades refused before authentication: a foreign Origin on both session WebSockets, a query on the relay.
        var upgrades = Enumerable.Range(0, 1000).Select(i => (i % 3) switch
        {
            0 => ("/api/sessions/desk/tdp", Foreign),
            1 => ("/api/sessions/desk/rfb", Foreign),
            _ => ($"/api/sessions/desk/rfb?host=10.0.0.{i % 250}&port=5900", ownOrigin),
        }).ToList();
        var statuses = new HttpStatusCode[upgrades.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, upgrades.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => statuses[i] = await UpgradeAsync(gw, upgrades[i].Item1, upgrades[i].Item2));
        Assert.All(statuses.Where((_, i) => i % 3 != 2), s => Assert.Equal(HttpStatusCode.Forbidden, s));
        Assert.All(statuses.Where((_, i) => i % 3 == 2), s => Assert.Equal(HttpStatusCode.BadRequest, s));

        // And links that are cut off, or forged (a well-formed token with a wrong signature), opened anonymously.
        var token = gw.Get<LinkTokenCodec>().Sign(new LinkTokenPayload
        {
            LinkId = new string('7', 32), IssuedAt = Start, ExpiresAt = Start.AddMinutes(2), Viewer = LinkViewer.Builtin,
            UserId = "u_forged", TargetId = "desk", Issuer = "attacker",
        });
        var at = token.IndexOf('.', StringComparison.Ordinal) + 5; // inside the signature, away from its last (partial) character
        var forged = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
        using var anonymous = gw.NewClient();
        for (var i = 0; i < 150; i++)
        {
            using var malformed = await anonymous.Http.GetAsync($"/link/not-a-link-{i}");
            Assert.Equal(HttpStatusCode.Forbidden, malformed.StatusCode);
            using var bad = await anonymous.Http.GetAsync("/link/" + forged);
            Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        }

        // One row per source: (session.denied, origin), (session.denied, query), (link.refused, malformed), (link.refused, bad-signature).
        var rows = (await AllAuditAsync(gw)).Skip(before).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(2, rows.Count(e => e.Kind == AuditKinds.SessionDenied));
        Assert.Equal(2, rows.Count(e => e.Kind == LinkAuditKinds.Refused));
        Assert.Equal(4, gw.Get<RefusalAuditor>().TrackedSources);
        var verify = await CliAsync(gw, "audit", "verify");
        Assert.True(verify.Code == 0, verify.Out);
        Assert.Contains("audit chain intact", verify.Out, StringComparison.Ordinal);

        // After a window the gateway's timer (on the injected clock) writes one summary per source: the rest, counted exactly.
        time.Advance(gw.Get<Configuration.GatewayOptions>().RefusalAudit.Window);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<AuditEvent> summaries;
        while ((summaries = await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.RefusalSummary })).Count < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(4, summaries.Count);
        long Counted(string kind, string reason) =>
            summaries.Where(s => s.Details!["kind"]!.GetValue<string>() == kind && s.Details["reason"]!.GetValue<string>() == reason)
                .Sum(s => s.Details!["count"]!.GetValue<long>());
        Assert.Equal(667 - 1, Counted(AuditKinds.SessionDenied, "origin"));
        Assert.Equal(333 - 1, Counted(AuditKinds.SessionDenied, "query"));
        Assert.Equal(150 - 1, Counted(LinkAuditKinds.Refused, "malformed"));
        Assert.Equal(150 - 1, Counted(LinkAuditKinds.Refused, "bad-signature"));
        Assert.All(summaries, s => Assert.Equal("127.0.0.1", s.ClientIp));
        Assert.Equal(0, (await CliAsync(gw, "audit", "verify")).Code);
        Assert.True((await gw.Get<IAuditLog>().VerifyChainAsync()).IsValid);
    }

    [Fact]
    public async Task RefusalsOfASignedInUser_AreAuditedEveryTime()
    {
        var time = new FakeTimeProvider(Start);
        await using var gw = await TestGateway.StartAsync(o => o.TimeProvider = time);
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("desk", "desk", "127.0.0.1", 5999, "", new Dictionary<string, string>(), null, null, new VncTargetSettings(["none"], TlsVerification.System, null), false),
            null, "test");
        await gw.Get<UserService>().CreateAsync("eve", "eve-password-123", false, [], false, "test");
        using var eve = gw.NewClient();
        (await eve.SignInAsync("eve", "eve-password-123")).EnsureSuccessStatusCode();
        var ownOrigin = gw.BaseAddress.GetLeftPart(UriPartial.Authority);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await UpgradeAsync(gw, "/api/sessions/desk/tdp", ownOrigin, eve)); // no access
            Assert.Equal(HttpStatusCode.Forbidden, await UpgradeAsync(gw, "/api/sessions/desk/rfb", Foreign, eve)); // signed in, foreign Origin
            Assert.Equal(HttpStatusCode.BadRequest, await UpgradeAsync(gw, "/api/sessions/desk/rfb?port=22", ownOrigin, eve)); // signed in, query
        }

        var denied = await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionDenied, Limit = 1000 });
        Assert.Equal(60, denied.Count);
        Assert.All(denied, e => Assert.Equal("eve", e.Actor));
        Assert.Equal(20, denied.Count(e => e.Details!["reason"]!.GetValue<string>() == "origin not allowed"));
        Assert.Equal(20, denied.Count(e => e.Details!["reason"]!.GetValue<string>().StartsWith("the query may not", StringComparison.Ordinal)));
        Assert.Equal(0, gw.Get<RefusalAuditor>().TrackedSources);

        // A signed-in browser opening a bad link: audited every time too.
        for (var i = 0; i < 5; i++)
        {
            using var bad = await eve.Http.GetAsync("/link/garbage");
            Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        }

        Assert.Equal(5, (await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = LinkAuditKinds.Refused })).Count);
        Assert.True((await gw.Get<IAuditLog>().VerifyChainAsync()).IsValid);
    }

    /// <summary>A POST to <paramref name="path"/> as one of the three forgeries the CSRF defence refuses.</summary>
    private static async Task<HttpStatusCode> ForgedPostAsync(ApiClient client, string path, int kind)
    {
        var token = await client.CsrfAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        switch (kind)
        {
            case 0: // a foreign page's form or fetch: its Origin
                request.Headers.Add("Origin", Foreign);
                request.Headers.Add("X-Oriel-Csrf", token);
                request.Content = JsonContent.Create(new { username = "admin", password = "guess" });
                break;
            case 1: // no X-Oriel-Csrf header
                request.Content = JsonContent.Create(new { username = "admin", password = "guess" });
                break;
            default: // an HTML form's body
                request.Headers.Add("X-Oriel-Csrf", token);
                request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin" });
                break;
        }

        using var response = await client.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task AFloodOfRequestsRefusedByTheCsrfDefence_LeavesOneRowAndOneLogLinePerSource_AndSummariesCountTheRest()
    {
        var time = new FakeTimeProvider(Start);
        using var logs = new RecordingLoggerProvider();
        await using var gw = await TestGateway.StartAsync(o => o.TimeProvider = time, logs: logs);
        var before = (await AllAuditAsync(gw)).Count;

        // 900 state-changing requests refused before anyone is authenticated: 300 of each forgery, at several paths.
        var paths = new[] { "/api/auth/signin", "/api/auth/password", "/api/links", "/api/no-such-endpoint" };
        var statuses = new HttpStatusCode[900];
        await Parallel.ForEachAsync(Enumerable.Range(0, 900), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            using var anonymous = gw.NewClient();
            statuses[i] = await ForgedPostAsync(anonymous, paths[i % paths.Length], i % 3);
        });
        Assert.All(statuses.Where((_, i) => i % 3 != 2), s => Assert.Equal(HttpStatusCode.Forbidden, s));
        Assert.All(statuses.Where((_, i) => i % 3 == 2), s => Assert.Equal(HttpStatusCode.UnsupportedMediaType, s));

        // One audit row and one log line (event 2005) per (reason, address), not one per request.
        var rows = (await AllAuditAsync(gw)).Skip(before).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(AuditKinds.RequestRefused, r.Kind));
        Assert.All(rows, r => Assert.Null(r.Actor));
        Assert.Equal(3, rows.Select(r => r.Details!["reason"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(3, logs.Count(2005));
        Assert.Equal(3, gw.Get<RefusalAuditor>().TrackedSources);

        // After a window, one summary per source counts the rest exactly; the chain verifies.
        time.Advance(gw.Get<Configuration.GatewayOptions>().RefusalAudit.Window);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<AuditEvent> summaries;
        while ((summaries = await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.RefusalSummary })).Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(3, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(AuditKinds.RequestRefused, s.Details!["kind"]!.GetValue<string>()));
        Assert.Equal(["content-type", "csrf-token", "origin"], summaries.Select(s => s.Details!["reason"]!.GetValue<string>()).Order());
        Assert.All(summaries, s => Assert.Equal(300 - 1, s.Details!["count"]!.GetValue<long>()));
        Assert.Equal(3, logs.Count(2005));
        Assert.True((await gw.Get<IAuditLog>().VerifyChainAsync()).IsValid);

        // A signed-in browser's refused requests are audited and logged every time, with its user as the actor;
        // a forged session cookie does not make a request signed in.
        await gw.Get<UserService>().CreateAsync("eve", "eve-password-123", false, [], false, "test");
        using var eve = gw.NewClient();
        (await eve.SignInAsync("eve", "eve-password-123")).EnsureSuccessStatusCode();
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await ForgedPostAsync(eve, "/api/auth/password", i % 2));
        }

        using var forger = gw.NewClient();
        forger.Cookies.Add(gw.BaseAddress, new Cookie(Hosting.GatewayHost.CookieName, "forged-session-cookie"));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await ForgedPostAsync(forger, "/api/auth/password", 1));
        }

        var refused = await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.RequestRefused, Limit = 1000 });
        Assert.Equal(3 + 6, refused.Count);
        Assert.Equal(6, refused.Count(e => e.Actor == "eve"));
        Assert.Equal(3 + 6, logs.Count(2005));
        Assert.True((await gw.Get<IAuditLog>().VerifyChainAsync()).IsValid);
    }

    [Fact]
    public async Task TheAuditor_TracksBoundedSources_ForgetsQuietOnes_AndCountsEveryRefusal()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        try
        {
            var time = new FakeTimeProvider(Start);
            var store = new SqliteOrielStore(Path.Combine(dir, Configuration.GatewayOptions.DatabaseFileName));
            await store.MigrateAsync(time.GetUtcNow());
            var audit = new AuditLog(store, time);
            var options = new RefusalAuditOptions { Window = TimeSpan.FromMinutes(5), MaxTrackedSources = 16 };
            var auditor = new RefusalAuditor(audit, options, time, NullLogger<RefusalAuditor>.Instance);

            // 10,000 refusals from 5,000 addresses (an attacker rotating addresses): 16 tracked, the rest counted without address.
            var written = 0;
            for (var i = 0; i < 10_000; i++)
            {
                var e = new AuditEvent { Kind = AuditKinds.SessionDenied, ClientIp = $"2001:db8::{i % 5000:x}" };
                written += await auditor.RefuseAsync(e, "origin") ? 1 : 0;
            }

            Assert.Equal(16, written);
            Assert.Equal(16, auditor.TrackedSources);
            Assert.Equal(16, (await audit.QueryAsync(new AuditQuery { Limit = 1000 })).Count);

            time.Advance(options.Window);
            await auditor.FlushDueAsync();
            var summaries = await audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RefusalSummary, Limit = 1000 });
            Assert.Equal(17, summaries.Count); // one per tracked source that repeated, one for the untracked ones
            Assert.Equal(10_000 - 16, summaries.Sum(s => s.Details!["count"]!.GetValue<long>()));
            var untracked = Assert.Single(summaries, s => s.ClientIp is null);
            Assert.Equal("untracked", untracked.Details!["sources"]!.GetValue<string>());

            // Nothing new in a window: no rows, and the sources are forgotten; the next refusal is written in full again.
            time.Advance(options.Window);
            await auditor.FlushDueAsync();
            Assert.Equal(16 + 17, (await audit.QueryAsync(new AuditQuery { Limit = 1000 })).Count);
            time.Advance(options.Window);
            await auditor.FlushDueAsync();
            Assert.Equal(0, auditor.TrackedSources);
            Assert.True(await auditor.RefuseAsync(new AuditEvent { Kind = AuditKinds.SessionDenied, ClientIp = "2001:db8::1" }, "origin"));

            // Pending counts are written at shutdown, window over or not.
            Assert.False(await auditor.RefuseAsync(new AuditEvent { Kind = AuditKinds.SessionDenied, ClientIp = "2001:db8::1" }, "origin"));
            await auditor.StopAsync(CancellationToken.None);
            var last = (await audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RefusalSummary, Limit = 1 })).Single();
            Assert.Equal(1, last.Details!["count"]!.GetValue<long>());
            Assert.Equal("2001:db8::1", last.ClientIp);
            Assert.True((await audit.VerifyChainAsync()).IsValid);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
