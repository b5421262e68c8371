using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Cli;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Links;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Wire;

namespace Oriel.Gateway.Tests;

/// <summary>Web Desktop links: the token codec (vectors, tampering, fuzz) and the gateway's /api/links and /link/TOKEN.</summary>
public sealed class LinkTests
{
    // ---- Vectors. Computed independently with Python's hmac/hashlib/base64 (RFC 5869 HKDF by hand):
    //   ikm = bytes(range(32)); prk = HMAC(0x00*32, ikm); key = HMAC(prk, b"oriel/link-token/v1" + b"\x01")
    //   payload = 01 | 00112233445566778899aabbccddeeff | i64 1767225600 | i64 1767225720 | 00 | s8 user | s8 "lab" | s8 "cli"
    private static readonly byte[] SecretKey = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private const string DerivedKeyHex = "067b22492aa0193a21358cf7dddecbab643d529b0b4186e1dfa628993f5d3969";

    private const string PayloadHex =
        "01" + "00112233445566778899aabbccddeeff" + "000000006955b900" + "000000006955b978" + "00" +
        "1a" + "755f303132333435363738396162636465663031323334353637" + "03" + "6c6162" + "03" + "636c69";

    private const string VectorToken =
        "AQARIjNEVWZ3iJmqu8zd7v8AAAAAaVW5AAAAAABpVbl4ABp1XzAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2NwNsYWIDY2xp" +
        ".2IaBEL_zFTtMYxoRloA6mU0DO_9Ae3KBIuKMVotQuIE";

    private static readonly LinkTokenPayload VectorPayload = new()
    {
        LinkId = "00112233445566778899aabbccddeeff",
        IssuedAt = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        ExpiresAt = DateTimeOffset.Parse("2026-01-01T00:02:00Z", System.Globalization.CultureInfo.InvariantCulture),
        Viewer = LinkViewer.Builtin,
        UserId = "u_0123456789abcdef01234567",
        TargetId = "lab",
        Issuer = "cli",
    };

    private static LinkTokenCodec VectorCodec() => new(new LinkSigningKey([SecretKey]));

    [Fact]
    public void Hkdf_DerivesTheDedicatedSigningKey()
    {
        Assert.Equal(DerivedKeyHex, Convert.ToHexStringLower(LinkSigningKey.Derive(SecretKey)));
        Assert.NotEqual(DerivedKeyHex, Convert.ToHexStringLower(SecretKey));
    }

    [Fact]
    public void Payload_DecodesToFields_AndEncodesToTheSameBytes()
    {
        var bytes = Convert.FromHexString(PayloadHex);
        var decoded = LinkTokenPayload.Decode(bytes);
        Assert.Equal(VectorPayload, decoded);
        Assert.Equal(bytes, VectorPayload.ToBytes());
        Assert.Equal(bytes.Length, VectorPayload.Size);
    }

    [Fact]
    public void Token_Vector_SignsAndVerifies()
    {
        var codec = VectorCodec();
        Assert.Equal(VectorToken, codec.Sign(VectorPayload));
        Assert.Null(codec.Verify(VectorToken, out var payload));
        Assert.Equal(VectorPayload, payload);
        Assert.True(VectorToken.Length <= LinkTokenCodec.MaxTokenLength);
    }

    [Fact]
    public void AnyFlippedBitInTheSignatureOrPayload_IsRefused()
    {
        var codec = VectorCodec();
        var dot = VectorToken.IndexOf('.', StringComparison.Ordinal);
        var payload = Base64Url.DecodeFromChars(VectorToken.AsSpan(0, dot));
        var mac = Base64Url.DecodeFromChars(VectorToken.AsSpan(dot + 1));
        for (var i = 0; i < mac.Length; i++)
        {
            var bad = (byte[])mac.Clone();
            bad[i] ^= 0x01;
            var token = VectorToken[..(dot + 1)] + Base64Url.EncodeToString(bad);
            Assert.Equal(LinkRefusal.BadSignature, codec.Verify(token, out var p));
            Assert.Null(p);
        }

        for (var i = 0; i < payload.Length; i++)
        {
            var bad = (byte[])payload.Clone();
            bad[i] ^= 0x80;
            Assert.Equal(LinkRefusal.BadSignature, codec.Verify(Base64Url.EncodeToString(bad) + VectorToken[dot..], out _));
        }
    }

    [Fact]
    public void AnotherKey_IsRefused_ButARotatedRingStillVerifies()
    {
        var other = new byte[32];
        Array.Fill(other, (byte)7);
        Assert.Equal(LinkRefusal.BadSignature, new LinkTokenCodec(new LinkSigningKey([other])).Verify(VectorToken, out _));
        var rotated = new LinkTokenCodec(new LinkSigningKey([other, SecretKey]));
        Assert.Null(rotated.Verify(VectorToken, out _));
        Assert.NotEqual(VectorToken, rotated.Sign(VectorPayload)); // new tokens use the first (active) key
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData(VectorToken + "=")]
    [InlineData(VectorToken + "A")]
    [InlineData(VectorToken + ".x")]
    [InlineData(" " + VectorToken)]
    public void MalformedTokens_AreRefusedAsMalformed(string token)
    {
        Assert.Equal(LinkRefusal.Malformed, VectorCodec().Verify(token, out _));
    }

    [Fact]
    public void NonCanonicalBase64_AndOverLongTokens_AreMalformed()
    {
        // 43 characters carry 258 bits for a 256-bit MAC: the last one ('E', 000100) ends in 2 unused zero bits.
        // 'F' (000101) decodes to the same bytes but is not the canonical encoding.
        Assert.EndsWith("E", VectorToken, StringComparison.Ordinal);
        Assert.Equal(LinkRefusal.Malformed, VectorCodec().Verify(VectorToken[..^1] + "F", out _));
        Assert.Equal(LinkRefusal.Malformed, VectorCodec().Verify(new string('A', LinkTokenCodec.MaxTokenLength + 1), out _));
        Assert.Equal(LinkRefusal.Malformed, VectorCodec().Verify(null, out _));
    }

    [Fact]
    public void PayloadDecoder_RefusesBadFieldsWithDecodeException()
    {
        var good = Convert.FromHexString(PayloadHex);
        void Refused(Action<byte[]> mutate)
        {
            var b = (byte[])good.Clone();
            mutate(b);
            Assert.Throws<DecodeException>(() => LinkTokenPayload.Decode(b));
        }

        Refused(b => b[0] = 2);                 // version
        Refused(b => b[33] = 2);                // viewer
        Refused(b => b[34] = 0);                // empty user id
        Refused(b => b[34] = 65);               // user id over the cap
        Refused(b => b[17] = 0x80);             // issued at out of DateTimeOffset's range
        Refused(b => b[32] = 0x00);             // expires before issued
        Refused(b => b[35] = 0xff);             // invalid UTF-8
        Assert.Throws<DecodeException>(() => LinkTokenPayload.Decode(good.AsSpan(0, good.Length - 1)));
        Assert.Throws<DecodeException>(() => LinkTokenPayload.Decode([.. good, 0]));
        Assert.Throws<DecodeException>(() => LinkTokenPayload.Decode(new byte[LinkTokenPayload.MaxSize + 1]));
    }

    [Fact]
    public void Fuzz_RandomAndMutatedInput_YieldsAValueOrARefusal_NeverAnotherException()
    {
        var rng = new Random(20260101);
        var codec = VectorCodec();
        var good = Convert.FromHexString(PayloadHex);
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %";
        for (var i = 0; i < 20_000; i++)
        {
            // Payload decoder: random and mutated bytes.
            var bytes = i % 2 == 0 ? new byte[rng.Next(0, LinkTokenPayload.MaxSize + 8)] : (byte[])good.Clone();
            if (i % 2 == 0)
            {
                rng.NextBytes(bytes);
            }
            else
            {
                for (var m = rng.Next(1, 4); m > 0; m--)
                {
                    bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                }
            }

            try
            {
                _ = LinkTokenPayload.Decode(bytes);
            }
            catch (DecodeException)
            {
            }

            // Token verifier: random strings and mutated tokens.
            var token = i % 2 == 0
                ? new string([.. Enumerable.Range(0, rng.Next(0, 400)).Select(_ => chars[rng.Next(chars.Length)])])
                : Mutate(VectorToken, rng, chars);
            var refusal = codec.Verify(token, out var payload);
            Assert.True(refusal is not null || payload is not null);
        }
    }

    private static string Mutate(string token, Random rng, string chars)
    {
        var a = token.ToCharArray().ToList();
        for (var m = rng.Next(1, 4); m > 0; m--)
        {
            switch (rng.Next(3))
            {
                case 0: a[rng.Next(a.Count)] = chars[rng.Next(chars.Length)]; break;
                case 1: a.Insert(rng.Next(a.Count + 1), chars[rng.Next(chars.Length)]); break;
                default: if (a.Count > 0) a.RemoveAt(rng.Next(a.Count)); break;
            }
        }

        return new string([.. a]);
    }

    [Fact]
    public void ViewerPaths_AndRefusalPages()
    {
        Assert.Equal("/#/desktop/lab", LinkViewers.PathFor(LinkViewer.Builtin, "lab"));
        Assert.Equal("/novnc/?target=lab", LinkViewers.PathFor(LinkViewer.NoVnc, "lab"));
        foreach (var refusal in Enum.GetValues<LinkRefusal>())
        {
            var html = LinkPage.Refusal(refusal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(LinkRefusals.Sentence(refusal)), html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(LinkRefusals.Status(refusal), new[] { 403, 410 });
        }
    }

    // ---- The gateway over HTTP.

    private const string BobPassword = "bob-password-123";
    private const string AlicePassword = "alice-password-123";

    private static async Task<(TestGateway Gw, ApiClient Admin)> StartAsync(FakeTimeProvider? clock = null)
    {
        var gw = await TestGateway.StartAsync(o =>
        {
            if (clock is not null)
            {
                o.TimeProvider = clock;
            }
        });
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("desk", "Desk", "127.0.0.1", 5999, "", new Dictionary<string, string> { ["env"] = "links" }, null, null, new VncTargetSettings(["none"],
                TlsVerification.System, null), false),
            null, "test");
        await gw.Get<RoleService>().SaveAsync(
            new RoleRecord("desk-users", "", [], [new Dictionary<string, string> { ["env"] = "links" }], false, false, true, null, false), "test");
        await gw.Get<UserService>().CreateAsync("bob", BobPassword, false, ["desk-users"], false, "test");
        await gw.Get<UserService>().CreateAsync("alice", AlicePassword, false, ["desk-users"], false, "test");
        return (gw, await gw.AdminClientAsync());
    }

    private static async Task<string> CreateLinkAsync(ApiClient admin, string user = "bob", string target = "desk", string? viewer = null, int? ttl = null)
    {
        using var r = await admin.PostJsonAsync("/api/links", new { user, target, viewer, ttlSeconds = ttl });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var body = await r.Content.ReadFromJsonAsync<JsonElement>();
        var url = body.GetProperty("url").GetString()!;
        var token = body.GetProperty("token").GetString()!;
        Assert.EndsWith("/link/" + token, url, StringComparison.Ordinal);
        return token;
    }

    private static async Task<AuditEvent> LastAuditAsync(TestGateway gw, string kind) =>
        (await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = kind, Limit = 1 })).Single();

    private static async Task AssertRefusedAsync(TestGateway gw, HttpResponseMessage r, HttpStatusCode status, LinkRefusal reason)
    {
        Assert.Equal(status, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", r.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.False(r.Headers.Contains("Set-Cookie") && r.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("oriel_session=", StringComparison.Ordinal)));
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains(System.Net.WebUtility.HtmlEncode(LinkRefusals.Sentence(reason)), html, StringComparison.Ordinal);
        var e = await LastAuditAsync(gw, LinkAuditKinds.Refused);
        Assert.Equal(LinkRefusals.Code(reason), e.Details!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task AValidLink_SignsItsUserIn_AndRedirectsToTheDesktop_Once()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var token = await CreateLinkAsync(admin);
        var created = await LastAuditAsync(gw, LinkAuditKinds.Create);
        Assert.Equal("desk", created.Target);
        Assert.Equal("bob", created.Details!["user"]!.GetValue<string>());
        Assert.DoesNotContain(token, created.Details.ToJsonString(), StringComparison.Ordinal);

        using var browser = gw.NewClient();
        using (var r = await browser.Http.GetAsync("/link/" + token))
        {
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.Equal("/#/desktop/desk", r.Headers.Location!.OriginalString);
            Assert.Contains("no-store", r.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }

        var me = await browser.GetJsonAsync("/api/me");
        Assert.Equal("bob", me.GetProperty("username").GetString());
        Assert.False(me.GetProperty("isAdmin").GetBoolean());
        Assert.Equal("desk", me.GetProperty("scope").GetString()); // scoped to the link's target: LinkScopeTests
        var use = await LastAuditAsync(gw, LinkAuditKinds.Use);
        Assert.Equal("bob", use.Actor);
        Assert.Equal("desk", use.Target);
        Assert.StartsWith("s_", use.SessionId, StringComparison.Ordinal);
        Assert.Equal(created.Details["linkId"]!.GetValue<string>(), use.Details!["linkId"]!.GetValue<string>());

        // Reuse, from another browser: refused, and the link's session was not duplicated.
        using var second = gw.NewClient();
        using (var again = await second.Http.GetAsync("/link/" + token))
        {
            await AssertRefusedAsync(gw, again, HttpStatusCode.Gone, LinkRefusal.Used);
        }

        using var anonymousMe = await second.Http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousMe.StatusCode);
        Assert.True((await gw.Get<IAuditLog>().VerifyChainAsync()).IsValid);
    }

    [Fact]
    public async Task AnExpiredLink_IsRefused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (gw, admin) = await StartAsync(clock);
        await using var _ = gw;
        using var __ = admin;
        var token = await CreateLinkAsync(admin, ttl: 30);
        clock.Advance(TimeSpan.FromSeconds(31));
        using var browser = gw.NewClient();
        using var r = await browser.Http.GetAsync("/link/" + token);
        await AssertRefusedAsync(gw, r, HttpStatusCode.Gone, LinkRefusal.Expired);
    }

    [Fact]
    public async Task ALinksSignInSession_EndsAfterTheLinkSessionLifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (gw, admin) = await StartAsync(clock);
        await using var _ = gw;
        using var __ = admin;
        var token = await CreateLinkAsync(admin);
        using var browser = gw.NewClient();
        using (var r = await browser.Http.GetAsync("/link/" + token))
        {
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        }

        var lifetime = gw.Get<DesktopLinkOptions>().SessionLifetime;
        clock.Advance(lifetime - TimeSpan.FromMinutes(1));
        Assert.Equal("bob", (await browser.GetJsonAsync("/api/me")).GetProperty("username").GetString());
        clock.Advance(TimeSpan.FromMinutes(2));
        using var after = await browser.Http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var adminStill = await admin.Http.GetAsync("/api/me"); // a password sign-in lasts longer
        Assert.Equal(HttpStatusCode.OK, adminStill.StatusCode);
    }

    [Fact]
    public async Task AFlippedByteInTheSignature_AndGarbage_AreRefused()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var token = await CreateLinkAsync(admin);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        mac[7] ^= 0x20;
        using var browser = gw.NewClient();
        using (var r = await browser.Http.GetAsync("/link/" + token[..(dot + 1)] + Base64Url.EncodeToString(mac)))
        {
            await AssertRefusedAsync(gw, r, HttpStatusCode.Forbidden, LinkRefusal.BadSignature);
        }

        using (var r = await browser.Http.GetAsync("/link/not-a-token"))
        {
            await AssertRefusedAsync(gw, r, HttpStatusCode.Forbidden, LinkRefusal.Malformed);
        }

        using (var css = await browser.Http.GetAsync(LinkPage.StylePath))
        {
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        }

        // The genuine link is untouched by the forgeries.
        using var ok = await browser.Http.GetAsync("/link/" + token);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
    }

    [Fact]
    public async Task AnotherUsersToken_IsRefusedInABrowserSignedInAsSomeoneElse_AndStaysUsable()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var token = await CreateLinkAsync(admin, user: "bob");
        using var alice = gw.NewClient();
        (await alice.SignInAsync("alice", AlicePassword)).EnsureSuccessStatusCode();
        using (var r = await alice.Http.GetAsync("/link/" + token))
        {
            await AssertRefusedAsync(gw, r, HttpStatusCode.Forbidden, LinkRefusal.WrongUser);
        }

        Assert.Equal("bob", (await LastAuditAsync(gw, LinkAuditKinds.Refused)).Actor);
        Assert.Equal("alice", (await alice.GetJsonAsync("/api/me")).GetProperty("username").GetString());

        // Bob's own browser, already signed in as bob, keeps its session and is sent to the desktop.
        using var bob = gw.NewClient();
        (await bob.SignInAsync("bob", BobPassword)).EnsureSuccessStatusCode();
        var before = bob.Cookie(GatewayHostCookie);
        using var ok = await bob.Http.GetAsync("/link/" + token);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(before, bob.Cookie(GatewayHostCookie));
        Assert.False((await LastAuditAsync(gw, LinkAuditKinds.Use)).Details!["newSession"]!.GetValue<bool>());
        Assert.Equal(JsonValueKind.Null, (await bob.GetJsonAsync("/api/me")).GetProperty("scope").ValueKind); // not downgraded
    }

    private const string GatewayHostCookie = Hosting.GatewayHost.CookieName;

    [Fact]
    public async Task AFollowedCrossSiteLink_HopsThroughTheGatewaysOriginFirst()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var token = await CreateLinkAsync(admin, viewer: "novnc");
        using var browser = gw.NewClient();
        string hop;
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/link/" + token))
        {
            request.Headers.Add("Sec-Fetch-Site", "cross-site");
            using var r = await browser.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var html = await r.Content.ReadAsStringAsync();
            hop = $"/link/{token}?hop=1";
            Assert.Contains($"<meta http-equiv=\"refresh\" content=\"0;url={hop}\">", html, StringComparison.Ordinal);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, hop))
        {
            request.Headers.Add("Sec-Fetch-Site", "cross-site"); // never hops twice
            using var r = await browser.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.Equal("/novnc/?target=desk", r.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task ARemovedUser_OrRevokedAccess_IsRefusedWhenTheLinkIsOpened()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var bobs = await CreateLinkAsync(admin, user: "bob");
        var alices = await CreateLinkAsync(admin, user: "alice");
        Assert.True(await gw.Get<UserService>().RemoveAsync("bob", "test"));
        await gw.Get<UserService>().GrantAsync("alice", ["desk-users"], revoke: true, "test");
        using var browser = gw.NewClient();
        using (var r = await browser.Http.GetAsync("/link/" + bobs))
        {
            await AssertRefusedAsync(gw, r, HttpStatusCode.Forbidden, LinkRefusal.UserGone);
        }

        using (var r = await browser.Http.GetAsync("/link/" + alices))
        {
            await AssertRefusedAsync(gw, r, HttpStatusCode.Forbidden, LinkRefusal.NotAllowed);
        }
    }

    [Fact]
    public async Task CreatingLinks_IsForAdministrators_AndChecksItsInput()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        using var bob = gw.NewClient();
        (await bob.SignInAsync("bob", BobPassword)).EnsureSuccessStatusCode();
        using (var r = await bob.PostJsonAsync("/api/links", new { user = "bob", target = "desk" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        using (var r = await admin.PostJsonAsync("/api/links", new { user = "bob", target = "desk" }, q => q.Headers.Remove("X-Oriel-Csrf")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        async Task<HttpStatusCode> Status(object body)
        {
            using var r = await admin.PostJsonAsync("/api/links", body);
            return r.StatusCode;
        }

        Assert.Equal(HttpStatusCode.NotFound, await Status(new { user = "nobody", target = "desk" }));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(new { user = "bob", target = "no-such-target" }));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(new { user = "bob", target = "desk", ttlSeconds = 601 }));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(new { user = "bob", target = "desk", ttlSeconds = 0 }));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(new { user = "bob", target = "desk", viewer = "vlc" }));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(new { target = "desk" }));
        Assert.Empty(await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = LinkAuditKinds.Create }));
    }

    [Fact]
    public async Task TheCli_PrintsALinkTheRunningGatewayAccepts()
    {
        var dir = TestGateway.NewDataDir();
        try
        {
            await using (var gw = await TestGateway.StartAsync(dataDir: dir))
            {
                await gw.Get<TargetService>().SaveAsync(
                    new TargetRecord("desk", "Desk", "127.0.0.1", 5999, "", new Dictionary<string, string>(), null, null, new VncTargetSettings(["none"],
                        TlsVerification.System, null), false),
                    null, "test");
                await gw.Get<UserService>().CreateAsync("root2", "root2-password-1", true, [], false, "test");
                using var output = new StringWriter();
                using var error = new StringWriter();
                var cli = new OrielCli(output, error, new StringReader("")) { ConfigureOptions = TestGateway.Configure };
                var code = await cli.InvokeAsync(["links", "create", "--user", "root2", "--target", "desk", "--ttl", "60", "--base-url", gw.BaseAddress.ToString(), "--data", dir]);
                Assert.True(code == 0, error.ToString());
                var url = output.ToString().Trim();
                Assert.StartsWith(gw.BaseAddress + "link/", url, StringComparison.Ordinal);
                Assert.Contains("single use", error.ToString(), StringComparison.Ordinal);
                Assert.Equal("cli", (await LastAuditAsync(gw, LinkAuditKinds.Create)).Actor);

                using var browser = gw.NewClient();
                using var r = await browser.Http.GetAsync(new Uri(url));
                Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
                Assert.Equal("root2", (await browser.GetJsonAsync("/api/me")).GetProperty("username").GetString());

                using var bad = new StringWriter();
                var refused = await new OrielCli(new StringWriter(), bad, new StringReader("")) { ConfigureOptions = TestGateway.Configure }
                    .InvokeAsync(["links", "create", "--user", "nobody", "--target", "desk", "--data", dir]);
                Assert.Equal(1, refused);
                Assert.Contains("no user named", bad.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task UsingALink_IsAtomic_UnderConcurrentOpens()
    {
        var (gw, admin) = await StartAsync();
        await using var _ = gw;
        using var __ = admin;
        var token = await CreateLinkAsync(admin);
        var clients = Enumerable.Range(0, 6).Select(i => gw.NewClient()).ToList();
        try
        {
            var responses = await Task.WhenAll(clients.Select(c => c.Http.GetAsync("/link/" + token)));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
            Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
            foreach (var r in responses)
            {
                r.Dispose();
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
