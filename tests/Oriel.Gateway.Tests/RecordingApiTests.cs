using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;
using Oriel.Recording;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The recordings read API (CONTRACTS section 3) on a real gateway: list with filters and paging, metadata with the
/// timeline read from the file, the playable file with HTTP Range, access rules (None 403, Own only own, others 404),
/// and one <c>recording.view</c> audit row per opening, none per range request. Recordings are written with the
/// Oriel.Recording writer and put in the catalog through the store.
/// </summary>
public sealed class RecordingApiTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private sealed record Seeded(TestGateway Gateway, ApiClient Admin, ApiClient Alice, ApiClient Bob, ApiClient Carol, byte[] AliceFile) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Admin.Dispose();
            Alice.Dispose();
            Bob.Dispose();
            Carol.Dispose();
            await Gateway.DisposeAsync();
        }
    }

    /// <summary>
    /// A tdp recording of <paramref name="seconds"/> seconds on a 64x48 desktop: a keyframe (desktop size + a PNG tile)
    /// every 5 s, a frame (a tile and a frame marker) every second.
    /// </summary>
    internal static byte[] WriteTdpRecording(string sessionId, string userName, int seconds)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new StreamRecordingWriter(output, new StreamRecordingHeader
        {
            Kind = StreamRecordingHeader.TdpKind,
            SessionId = sessionId,
            TargetId = "lab",
            User = userName,
            StartUnixMilliseconds = T0.ToUnixTimeMilliseconds(),
        });
        var png = TinyPng();
        for (var s = 0; s < seconds; s++)
        {
            var t = s * 1_000_000L;
            if (s % 5 == 0)
            {
                writer.AppendKeyframe(t, [TdpCodec.Encode(new DesktopSizeMessage(64, 48)), TdpCodec.Encode(new PngFrame2Message(0, 0, 1, 1, png))]);
            }
            var frame = TdpCodec.Encode(new PngFrame2Message((uint)s % 64, 0, (uint)s % 64 + 1, 1, png)).Concat(TdpCodec.Encode(new FrameMarkerMessage((uint)s + 1))).ToArray();
            writer.AppendData(StreamDirection.ServerToClient, t, frame);
        }
        writer.Finish(seconds * 1_000_000L);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A 1x1 PNG made by Oriel's encoder.</summary>
    private static byte[] TinyPng()
    {
        var fb = new Oriel.Graphics.Framebuffer(1, 1);
        fb.Fill(new Oriel.Graphics.Rect(0, 0, 1, 1), 0x00336699);
        var png = new ArrayBufferWriter<byte>();
        new Oriel.Graphics.PngEncoder().Encode(fb, new Oriel.Graphics.Rect(0, 0, 1, 1), png);
        return png.WrittenSpan.ToArray();
    }

    private static async Task<Seeded> SeedAsync()
    {
        var gw = await TestGateway.StartAsync();
        var roles = gw.Get<Access.RoleService>();
        await roles.SaveAsync(new RoleRecord("own-recordings", "", [], [], false, false, true, null, false) { Recordings = RecordingsAccess.Own }, "test");
        await roles.SaveAsync(new RoleRecord("no-recordings", "", [], [], false, false, true, null, false), "test");
        var users = gw.Get<UserService>();
        var alice = (await users.CreateAsync("alice", "alice-password-1", false, ["own-recordings"], false, "test")).User;
        var bob = (await users.CreateAsync("bob", "bob-password-12", false, ["own-recordings"], false, "test")).User;
        await users.CreateAsync("carol", "carol-password-1", false, ["no-recordings"], false, "test");

        var paths = gw.Get<RecordingPaths>();
        paths.EnsureDirectory();
        var store = gw.Get<IOrielStore>();
        var aliceFile = WriteTdpRecording("a1", "alice", 60);
        await File.WriteAllBytesAsync(paths.StreamRecording("a1"), aliceFile);
        await File.WriteAllBytesAsync(paths.StreamRecording("b1"), WriteTdpRecording("b1", "bob", 12));
        await File.WriteAllBytesAsync(paths.StreamRecording("a2"), [1, 2, 3]);
        await store.InsertRecordingAsync(Row("a1", alice, "vnc", "tdp", T0, aliceFile.Length), CancellationToken.None);
        await store.InsertRecordingAsync(Row("b1", bob, "vnc", "tdp", T0.AddHours(1), 0), CancellationToken.None);
        await store.InsertRecordingAsync(Row("a2", alice, "rdp", "x-future-kind", T0.AddDays(2), 3) with { Status = RecordingStatus.Incomplete, Problem = "the gateway stopped" }, CancellationToken.None);

        var admin = await gw.AdminClientAsync();
        return new Seeded(gw, admin, await SignedInAsync(gw, "alice", "alice-password-1"), await SignedInAsync(gw, "bob", "bob-password-12"), await SignedInAsync(gw, "carol", "carol-password-1"), aliceFile);
    }

    private static RecordingRecord Row(string id, UserRecord user, string protocol, string kind, DateTimeOffset started, long size) =>
        new(id, user.Id, user.Username, "lab", "Lab desktop", protocol, kind, started, started.AddMinutes(1), 60_000, size, RecordingStatus.Complete, null);

    private static async Task<ApiClient> SignedInAsync(TestGateway gw, string user, string password)
    {
        var client = gw.NewClient();
        (await client.SignInAsync(user, password)).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(ApiClient client, string path)
    {
        using var r = await client.Http.GetAsync(path);
        var text = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task List_AllSeesEveryRecordingNewestFirst_OwnSeesOnlyItsOwn_NoneIsForbidden()
    {
        await using var s = await SeedAsync();
        var (status, all) = await GetAsync(s.Admin, "/api/recordings");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["a2", "b1", "a1"], Ids(all));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);
        var a2 = all.GetProperty("items")[0];
        Assert.Equal("alice", a2.GetProperty("user").GetString());
        Assert.Equal("Lab desktop", a2.GetProperty("target").GetString());
        Assert.Equal("lab", a2.GetProperty("targetId").GetString());
        Assert.Equal("rdp", a2.GetProperty("protocol").GetString());
        Assert.Equal("incomplete", a2.GetProperty("status").GetString());
        Assert.Equal("the gateway stopped", a2.GetProperty("problem").GetString());
        Assert.Equal(60_000, a2.GetProperty("durationMs").GetInt64());
        Assert.Equal(T0.AddDays(2), a2.GetProperty("started").GetDateTimeOffset());

        Assert.Equal(["a2", "a1"], Ids((await GetAsync(s.Alice, "/api/recordings")).Json));
        Assert.Equal(["b1"], Ids((await GetAsync(s.Bob, "/api/recordings")).Json));
        // An Own user asking for someone else's recordings gets none of them.
        Assert.Empty(Ids((await GetAsync(s.Alice, "/api/recordings?user=bob")).Json));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(s.Carol, "/api/recordings")).Status);
        using var anonymous = s.Gateway.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(anonymous, "/api/recordings")).Status);
    }

    [Fact]
    public async Task List_FiltersByUserTargetProtocolAndDates_AndPagesWithNext()
    {
        await using var s = await SeedAsync();
        Assert.Equal(["b1"], Ids((await GetAsync(s.Admin, "/api/recordings?user=bob")).Json));
        Assert.Equal(["a1"], Ids((await GetAsync(s.Admin, "/api/recordings?protocol=vnc&user=alice")).Json));
        Assert.Equal(["a2"], Ids((await GetAsync(s.Admin, "/api/recordings?protocol=RDP")).Json));
        Assert.Empty(Ids((await GetAsync(s.Admin, "/api/recordings?target=elsewhere")).Json));
        Assert.Equal(["b1", "a1"], Ids((await GetAsync(s.Admin, $"/api/recordings?from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddDays(1).ToString("O"))}")).Json));
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(s.Admin, "/api/recordings?from=yesterday")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(s.Admin, "/api/recordings?limit=0")).Status);

        var seen = new List<string>();
        var path = "/api/recordings?limit=2";
        for (var page = 0; page < 3; page++)
        {
            var (status, json) = await GetAsync(s.Admin, path);
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(Ids(json));
            var next = json.GetProperty("next");
            if (next.ValueKind == JsonValueKind.Null) break;
            path = "/api/recordings?limit=2&before=" + Uri.EscapeDataString(next.GetString()!);
        }
        Assert.Equal(["a2", "b1", "a1"], seen);
    }

    [Fact]
    public async Task Details_GiveTheTimelineOfTheFile_AndAreAuditedOncePerOpening()
    {
        await using var s = await SeedAsync();
        var (status, json) = await GetAsync(s.Alice, "/api/recordings/a1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("a1", json.GetProperty("id").GetString());
        var timeline = json.GetProperty("timeline");
        Assert.Equal(60_000_000, timeline.GetProperty("durationUs").GetInt64());

        var expected = StreamRecordingReader.ReadAll(s.AliceFile).End!.Index;
        var points = timeline.GetProperty("syncPoints").EnumerateArray().Select(p => (p.GetProperty("offset").GetInt64(), p.GetProperty("timeUs").GetInt64())).ToArray();
        Assert.Equal(12, points.Length);
        Assert.Equal(expected.Select(p => (p.FileOffset, p.TimeMicroseconds)).ToArray(), points);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 5_000_000L), points.Select(p => p.Item2));
        var histogram = timeline.GetProperty("histogram");
        var buckets = histogram.GetProperty("bytes").EnumerateArray().Select(b => b.GetInt64()).ToArray();
        Assert.Equal(RecordingEndpoints.HistogramBuckets, buckets.Length);
        Assert.Equal(StreamRecordingReader.ReadAll(s.AliceFile).End!.ServerBytes, buckets.Sum());
        Assert.Equal(300_000, histogram.GetProperty("bucketUs").GetInt64());

        var views = await s.Gateway.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = RecordingAuditKinds.View });
        var view = Assert.Single(views);
        Assert.Equal("alice", view.Actor);
        Assert.Equal("a1", view.SessionId);
        Assert.Equal("lab", view.Target);
        Assert.Equal("alice", view.Details!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Details_OutsideTheUsersAccessAreNotFound_WithoutRecordingsAccessForbidden()
    {
        await using var s = await SeedAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(s.Alice, "/api/recordings/b1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(s.Alice, "/api/recordings/b1/tdp")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(s.Admin, "/api/recordings/nothere")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(s.Admin, "/api/recordings/..%2Fsecret.key/tdp")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(s.Carol, "/api/recordings/a1")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(s.Carol, "/api/recordings/a1/tdp")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(s.Admin, "/api/recordings/b1")).Status);
        Assert.Empty(await s.Gateway.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = RecordingAuditKinds.View, Actor = "alice" }));
        Assert.Empty(await s.Gateway.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = RecordingAuditKinds.View, Actor = "carol" }));
    }

    [Fact]
    public async Task File_ServesRangesOfThePlayableRecording_WithoutAnAuditRowPerRange()
    {
        await using var s = await SeedAsync();
        var file = s.AliceFile;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(s.Alice, "/api/recordings/a1")).Status);
        foreach (var (from, to) in new[] { (0L, 63L), (1000L, 1999L), (file.Length - 12L, file.Length - 1L) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/recordings/a1/tdp");
            request.Headers.Range = new RangeHeaderValue(from, to);
            using var r = await s.Alice.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, r.StatusCode);
            Assert.Equal(new ContentRangeHeaderValue(from, to, file.Length), r.Content.Headers.ContentRange);
            Assert.Equal(file.AsSpan((int)from, (int)(to - from + 1)).ToArray(), await r.Content.ReadAsByteArrayAsync());
        }
        using (var past = new HttpRequestMessage(HttpMethod.Get, "/api/recordings/a1/tdp"))
        {
            past.Headers.Range = new RangeHeaderValue(file.Length + 10, file.Length + 20);
            using var r = await s.Alice.Http.SendAsync(past);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, r.StatusCode);
        }
        using (var whole = await s.Alice.Http.GetAsync("/api/recordings/a1/tdp"))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
            Assert.Equal(file, await whole.Content.ReadAsByteArrayAsync());
        }
        var views = await s.Gateway.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = RecordingAuditKinds.View });
        Assert.Single(views);
    }

    [Fact]
    public async Task ARecordingStillBeingWrittenIsReadableAndItsTimelineComesFromAScan()
    {
        await using var s = await SeedAsync();
        var whole = WriteTdpRecording("live1", "alice", 30);
        var end = StreamRecordingReader.ReadAll(whole).End!;
        var cut = (int)end.EndOffset - 200; // inside the last records, before the End record: as after a crash, or while recording
        var path = s.Gateway.Get<RecordingPaths>().StreamRecording("live1");
        // Held open for writing the way RecordingFileSink holds a live recording.
        await using (var writing = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            await writing.WriteAsync(whole.AsMemory(0, cut));
            await writing.FlushAsync();
            var alice = await s.Gateway.Get<IOrielStore>().FindUserByNameAsync("alice");
            await s.Gateway.Get<IOrielStore>().InsertRecordingAsync(
                Row("live1", alice!, "vnc", "tdp", T0.AddDays(3), 0) with { Status = RecordingStatus.Recording, Ended = null }, CancellationToken.None);

            var (status, json) = await GetAsync(s.Alice, "/api/recordings/live1");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("recording", json.GetProperty("status").GetString());
            var timeline = json.GetProperty("timeline");
            var points = timeline.GetProperty("syncPoints").EnumerateArray().Select(p => p.GetProperty("offset").GetInt64()).ToArray();
            Assert.Equal(end.Index.Select(p => p.FileOffset).Where(o => o < cut), points);
            Assert.InRange(timeline.GetProperty("durationUs").GetInt64(), 25_000_000, 29_000_000);

            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/recordings/live1/tdp");
            request.Headers.Range = new RangeHeaderValue(points[^1], null);
            using var r = await s.Alice.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, r.StatusCode);
            Assert.Equal(whole.AsSpan((int)points[^1], cut - (int)points[^1]).ToArray(), await r.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task AKindThatCannotBePlayedSaysSo()
    {
        await using var s = await SeedAsync();
        var (status, json) = await GetAsync(s.Alice, "/api/recordings/a2");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("x-future-kind", json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await GetAsync(s.Alice, "/api/recordings/a2/tdp")).Status);
    }

    [Fact]
    public async Task Me_SaysWhichRecordingsTheUserMaySee()
    {
        await using var s = await SeedAsync();
        Assert.Equal("all", (await GetAsync(s.Admin, "/api/me")).Json.GetProperty("recordings").GetString());
        Assert.Equal("own", (await GetAsync(s.Alice, "/api/me")).Json.GetProperty("recordings").GetString());
        Assert.Equal("none", (await GetAsync(s.Carol, "/api/me")).Json.GetProperty("recordings").GetString());
    }
}
