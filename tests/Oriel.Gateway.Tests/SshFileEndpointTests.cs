using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Access;
using Oriel.Gateway.Api;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Ssh;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The SSH file panel's HTTP rules (<c>/api/sessions/live/{id}/files</c>) on a real gateway, with SFTP served by a
/// <see cref="DirectorySftpSession"/> over a temporary directory: only the owner's registered session answers (404 for
/// anyone else), each operation needs its role permission, bad names are refused with a sentence, upload chunks must
/// follow each other and stay under the cap, downloads carry their length and a safe file name, CSRF applies, every
/// operation is audited, and the one SFTP connection closes when the session leaves the registry.
/// </summary>
public sealed class SshFileEndpointTests : IAsyncDisposable
{
    private const string Alice = "alice";
    private const string Bob = "bob";
    private const string Password = "file-panel-pass-12";
    private const string SessionId = "sess-alice-1";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "oriel-sftp-tests", Guid.NewGuid().ToString("N"));
    private readonly DirectorySftpConnector _connector;
    private TestGateway? _gw;
    private string _aliceId = "";

    public SshFileEndpointTests() => _connector = new DirectorySftpConnector(_root);

    private TestGateway Gw => _gw!;

    private string Home => Path.Combine(_root, "home", "tester");

    private async Task<ApiClient> StartAsync(bool mayDownload = true, bool mayUpload = true)
    {
        Directory.CreateDirectory(Home);
        _gw = await TestGateway.StartAsync(services: s => s.AddSingleton<ISshConnector>(_connector));
        var labels = new Dictionary<string, string> { ["env"] = "shells" };
        await Gw.Get<TargetService>().SaveAsync(
            new TargetRecord("box", "Box", "192.0.2.41", 22, "", labels, "tester", null, SshTargetSettings.Default, false), null, "test");
        await Gw.Get<RoleService>().SaveAsync(new RoleRecord("shell-users", "", [], [labels], false, false, true, null, false), "test");
        var (alice, _) = await Gw.Get<UserService>().CreateAsync(Alice, Password, false, ["shell-users"], false, "test");
        await Gw.Get<UserService>().CreateAsync(Bob, Password, false, ["shell-users"], false, "test");
        _aliceId = alice.Id;
        Register(SessionId, mayDownload, mayUpload);
        return await SignInAsync(Alice);
    }

    private SshFileAccess Register(string sessionId, bool mayDownload, bool mayUpload)
    {
        var request = new SshConnectRequest("192.0.2.41", 22, "tester", SshCredentials.None, _ => true);
        var access = new SshFileAccess(sessionId, _aliceId, "box", request, mayDownload, mayUpload);
        Gw.Get<ISshFileAccessRegistry>().Register(access);
        return access;
    }

    private async Task<ApiClient> SignInAsync(string user)
    {
        var client = Gw.NewClient();
        (await client.SignInAsync(user, Password)).EnsureSuccessStatusCode();
        return client;
    }

    private static string Files(string rest = "", string session = SessionId) => $"/api/sessions/live/{session}/files{rest}";

    private static async Task<HttpResponseMessage> PutChunkAsync(ApiClient client, string path, long offset, byte[] body, bool final,
        string session = SessionId, Action<HttpRequestMessage>? tweak = null)
    {
        var token = await client.CsrfAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put,
            Files($"/upload?path={Uri.EscapeDataString(path)}&offset={offset}&final={(final ? 1 : 0)}", session))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("X-Oriel-Csrf", token);
        tweak?.Invoke(request);
        return await client.Http.SendAsync(request);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    private static string Error(JsonElement body) => body.GetProperty("error").GetString()!;

    private async Task<IReadOnlyList<AuditEvent>> FileAuditAsync() =>
        await Gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = SshAuditKinds.FileOperation });

    private static (string Op, string Path, bool Ok) Row(AuditEvent e) =>
        (e.Details!["op"]!.GetValue<string>(), e.Details["path"]!.GetValue<string>(), e.Details["ok"]!.GetValue<bool>());

    [Fact]
    public async Task ListingTheHomeDirectoryShowsDirectoriesFirstWithSizesAndTheRolesPermissions_AndIsAudited()
    {
        using var client = await StartAsync(mayDownload: true, mayUpload: false);
        Directory.CreateDirectory(Path.Combine(Home, "zeta"));
        await File.WriteAllBytesAsync(Path.Combine(Home, "alpha.txt"), new byte[1234]);

        var list = await client.GetJsonAsync(Files());

        Assert.Equal("/home/tester", list.GetProperty("path").GetString());
        Assert.Equal("/home", list.GetProperty("parent").GetString());
        Assert.True(list.GetProperty("mayDownload").GetBoolean());
        Assert.False(list.GetProperty("mayUpload").GetBoolean());
        var entries = list.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["zeta", "alpha.txt"], entries.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(["directory", "file"], entries.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(1234, entries[1].GetProperty("size").GetInt64());
        Assert.Equal("/home/tester/alpha.txt", entries[1].GetProperty("path").GetString());

        // A relative path is the home directory's.
        var sub = await client.GetJsonAsync(Files("?path=zeta"));
        Assert.Equal("/home/tester/zeta", sub.GetProperty("path").GetString());

        var audit = await FileAuditAsync();
        Assert.Equal([("list", "/home/tester", true), ("list", "/home/tester/zeta", true)], audit.Select(Row).Reverse());
        Assert.All(audit, e => Assert.Equal((Alice, "box", SessionId), (e.Actor, e.Target, e.SessionId)));
        Assert.Equal(2, audit.Last().Details!["entries"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnotherUsersSessionAndAnUnknownIdAreNotFound_AndNoSftpConnectionIsOpened()
    {
        using var alice = await StartAsync();
        using var bob = await SignInAsync(Bob);

        foreach (var (client, session) in new[] { (bob, SessionId), (alice, "no-such-session") })
        {
            var (status, body) = await ReadAsync(await client.Http.GetAsync(Files(session: session)));
            Assert.Equal((HttpStatusCode.NotFound, "No such live SSH session of yours."), (status, Error(body)));
            (status, _) = await ReadAsync(await client.Http.GetAsync(Files("/download?path=x", session)));
            Assert.Equal(HttpStatusCode.NotFound, status);
            (status, _) = await ReadAsync(await PutChunkAsync(client, "x", 0, [1], true, session));
            Assert.Equal(HttpStatusCode.NotFound, status);
            (status, _) = await ReadAsync(await client.PostJsonAsync(Files("/mkdir", session), new { path = "d" }));
            Assert.Equal(HttpStatusCode.NotFound, status);
        }

        // Not signed in at all: refused before anything is looked up.
        using var anonymous = Gw.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync(Files())).StatusCode);

        Assert.Empty(_connector.Opened);
        Assert.Empty(await FileAuditAsync());
        Assert.False(Directory.Exists(Path.Combine(Home, "d")));
    }

    [Fact]
    public async Task DownloadOnlyRoleMayListAndDownloadButNotChangeAnything()
    {
        using var client = await StartAsync(mayDownload: true, mayUpload: false);
        await File.WriteAllTextAsync(Path.Combine(Home, "a.txt"), "hello");

        Assert.Equal("hello", await client.Http.GetStringAsync(Files("/download?path=a.txt")));
        var refusals = new[]
        {
            await ReadAsync(await PutChunkAsync(client, "b.txt", 0, [1, 2], true)),
            await ReadAsync(await client.PostJsonAsync(Files("/mkdir"), new { path = "d" })),
            await ReadAsync(await client.PostJsonAsync(Files("/rename"), new { from = "a.txt", to = "c.txt" })),
            await ReadAsync(await client.PostJsonAsync(Files("/delete"), new { path = "a.txt" })),
        };

        Assert.All(refusals, r => Assert.Equal(HttpStatusCode.Forbidden, r.Status));
        Assert.Equal("Your role does not allow uploading files to this target.", Error(refusals[0].Body));
        Assert.Equal("Your role does not allow changing files on this target.", Error(refusals[1].Body));
        Assert.Equal(["a.txt"], Directory.GetFileSystemEntries(Home).Select(Path.GetFileName));
        var audit = (await FileAuditAsync()).Reverse().Select(Row).ToList();
        Assert.Equal([("download", "/home/tester/a.txt", true), ("upload", "b.txt", false), ("mkdir", "d", false), ("rename", "a.txt", false), ("delete", "a.txt", false)], audit);
    }

    [Fact]
    public async Task UploadOnlyRoleMayListAndChangeButNotDownload_AndARoleWithNeitherMayNotEvenList()
    {
        using var client = await StartAsync(mayDownload: false, mayUpload: true);
        await File.WriteAllTextAsync(Path.Combine(Home, "a.txt"), "hello");

        Assert.False((await client.GetJsonAsync(Files())).GetProperty("mayDownload").GetBoolean());
        var (status, body) = await ReadAsync(await client.Http.GetAsync(Files("/download?path=a.txt")));
        Assert.Equal((HttpStatusCode.Forbidden, "Your role does not allow downloading files from this target."), (status, Error(body)));
        (status, _) = await ReadAsync(await client.PostJsonAsync(Files("/mkdir"), new { path = "d" }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(Directory.Exists(Path.Combine(Home, "d")));

        Register("sess-alice-2", mayDownload: false, mayUpload: false);
        (status, body) = await ReadAsync(await client.Http.GetAsync(Files(session: "sess-alice-2")));
        Assert.Equal((HttpStatusCode.Forbidden, "Your role does not allow file transfer on this target."), (status, Error(body)));
    }

    public static TheoryData<string, string> BadPaths() => new()
    {
        { "a\0b", "The path contains a NUL character, which file names may not hold." },
        { "evil\u001b[31m.txt", "The path contains the control character U+001B, which file names here may not hold." },
        { "line\nbreak", "The path contains the control character U+000A, which file names here may not hold." },
        { "del\u007f", "The path contains the control character U+007F, which file names here may not hold." },
        { "c1\u0085next", "The path contains the control character U+0085, which file names here may not hold." },
        { "c1\u009b", "The path contains the control character U+009B, which file names here may not hold." },
        { new string('n', 256), "A name in the path is 256 bytes long; at most 255 are allowed." },
        { "d/" + new string('\u00e9', 128), "A name in the path is 256 bytes long; at most 255 are allowed." },
        { string.Join('/', Enumerable.Repeat(new string('p', 200), 21)), "The path is 4220 bytes long; at most 4096 are allowed." },
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task NamesWithNulControlCharactersOrTooLongAreRefusedWithASentenceByEveryOperation(string path, string sentence)
    {
        using var client = await StartAsync();
        await File.WriteAllTextAsync(Path.Combine(Home, "ok.txt"), "x");

        var answers = new[]
        {
            await ReadAsync(await client.Http.GetAsync(Files("?path=" + Uri.EscapeDataString(path)))),
            await ReadAsync(await client.Http.GetAsync(Files("/download?path=" + Uri.EscapeDataString(path)))),
            await ReadAsync(await PutChunkAsync(client, path, 0, [1], true)),
            await ReadAsync(await client.PostJsonAsync(Files("/mkdir"), new { path })),
            await ReadAsync(await client.PostJsonAsync(Files("/delete"), new { path })),
            await ReadAsync(await client.PostJsonAsync(Files("/rename"), new { from = path, to = "x" })),
        };
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.BadRequest, sentence), (a.Status, Error(a.Body))));

        var (status, body) = await ReadAsync(await client.PostJsonAsync(Files("/rename"), new { from = "ok.txt", to = path }));
        Assert.Equal((HttpStatusCode.BadRequest, "The new name is refused: " + char.ToLowerInvariant(sentence[0]) + sentence[1..]), (status, Error(body)));

        // Nothing reached the server but the connection itself, and every refusal is in the audit, its path made harmless.
        Assert.All(_connector.Opened, s => Assert.Empty(s.Calls));
        Assert.Equal(["ok.txt"], Directory.GetFileSystemEntries(Home).Select(Path.GetFileName));
        var audit = await FileAuditAsync();
        Assert.Equal(7, audit.Count);
        Assert.All(audit, e =>
        {
            Assert.False(e.Details!["ok"]!.GetValue<bool>());
            Assert.DoesNotContain(e.Details["path"]!.GetValue<string>(), c => SshFilePaths.IsControl(c));
            Assert.True(e.Details["path"]!.GetValue<string>().Length <= SshFilePaths.MaxAuditedChars + 1);
        });
    }

    [Fact]
    public void PathChecksRefuseLoneSurrogatesAndAcceptTheLimitsExactly()
    {
        // (JSON and URLs cannot carry a lone surrogate to the gateway, so this one is checked here.)
        Assert.Equal("The path is not well-formed Unicode.", SshFilePaths.Problem("lone\ud800surrogate"));
        Assert.Null(SshFilePaths.Problem(new string('n', 255)));
        Assert.Null(SshFilePaths.Problem("/" + string.Join('/', Enumerable.Repeat(new string('p', 255), 15)) + "/" + new string('q', 255)));
        Assert.Null(SshFilePaths.Problem("emoji \U0001F600 and \u00e9 and tab-free"));
        Assert.Equal("A path is required.", SshFilePaths.Problem(""));
        Assert.Equal("/home/t/a/b", SshFilePaths.Resolve("/home/t", "a/b"));
        Assert.Equal("/etc/x", SshFilePaths.Resolve("/home/t", "/etc/x"));
        Assert.Equal("/home", SshFilePaths.Parent("/home/t/"));
        Assert.Equal("/", SshFilePaths.Parent("/home"));
        Assert.Equal("b.txt", SshFilePaths.LastElement("/a/b.txt"));
        Assert.Equal("a\\u001Bb", SshFilePaths.ForAudit("a\u001bb"));
    }

    [Fact]
    public async Task ChunksMustFollowEachOther_AndTheFinalOneCompletesTheUploadWithOneAudit()
    {
        using var client = await StartAsync();
        var data = new byte[3 * 100_000 + 17];
        new Random(8).NextBytes(data);

        var (status, body) = await ReadAsync(await PutChunkAsync(client, "up.bin", 100_000, data[..100_000], false));
        Assert.Equal((HttpStatusCode.Conflict, "No upload of this file is in progress; its first chunk must be sent at offset 0."), (status, Error(body)));
        Assert.Equal(0, body.GetProperty("expected").GetInt64());

        (status, body) = await ReadAsync(await PutChunkAsync(client, "up.bin", 0, data[..100_000], false));
        Assert.Equal((HttpStatusCode.OK, 100_000L, false), (status, body.GetProperty("written").GetInt64(), body.GetProperty("done").GetBoolean()));

        // A chunk sent twice, or one skipped, is refused and says where the upload stands.
        foreach (var wrong in new long[] { 0 + 1, 200_000, 99_999 })
        {
            (status, body) = await ReadAsync(await PutChunkAsync(client, "up.bin", wrong, data[100_000..200_000], false));
            Assert.Equal((HttpStatusCode.Conflict, $"The upload expected its next chunk at offset 100000, not {wrong}."), (status, Error(body)));
            Assert.Equal(100_000, body.GetProperty("expected").GetInt64());
        }

        (status, _) = await ReadAsync(await PutChunkAsync(client, "up.bin", 100_000, data[100_000..200_000], false));
        Assert.Equal(HttpStatusCode.OK, status);
        (status, body) = await ReadAsync(await PutChunkAsync(client, "up.bin", 200_000, data[200_000..], true));
        Assert.Equal((HttpStatusCode.OK, (long)data.Length, true), (status, body.GetProperty("written").GetInt64(), body.GetProperty("done").GetBoolean()));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(Home, "up.bin")));

        // Finished: another chunk at the end is not a continuation.
        (status, _) = await ReadAsync(await PutChunkAsync(client, "up.bin", data.Length, [1], true));
        Assert.Equal(HttpStatusCode.Conflict, status);

        var completions = (await FileAuditAsync()).Where(e => e.Details!["ok"]!.GetValue<bool>()).ToList();
        var done = Assert.Single(completions);
        Assert.Equal(("upload", "/home/tester/up.bin", true), Row(done));
        Assert.Equal(data.Length, done.Details!["size"]!.GetValue<long>());

        // Offset 0 starts over and truncates; an empty final chunk makes an empty file.
        (status, _) = await ReadAsync(await PutChunkAsync(client, "up.bin", 0, [], true));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, new FileInfo(Path.Combine(Home, "up.bin")).Length);
    }

    [Fact]
    public async Task ASecondChunkWhileOneIsBeingWrittenIsRefused_AndTheUploadGoesOnAfterwards()
    {
        using var client = await StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.WriteGate = gate.Task;

        var first = PutChunkAsync(client, "slow.bin", 0, new byte[10], false);
        await WaitForAsync(() => Task.FromResult(_connector.Opened.SingleOrDefault()?.Calls.Contains("create /home/tester/slow.bin") == true ? "" : null));
        var (status, body) = await ReadAsync(await PutChunkAsync(client, "slow.bin", 0, new byte[10], false));
        Assert.Equal((HttpStatusCode.Conflict, "Another chunk of this upload is being written; send the next one when it is done."), (status, Error(body)));
        (status, _) = await ReadAsync(await PutChunkAsync(client, "slow.bin", 10, new byte[5], true));
        Assert.Equal(HttpStatusCode.Conflict, status);

        gate.SetResult();
        (status, body) = await ReadAsync(await first);
        Assert.Equal((HttpStatusCode.OK, 10L), (status, body.GetProperty("written").GetInt64()));
        (status, _) = await ReadAsync(await PutChunkAsync(client, "slow.bin", 10, new byte[5], true));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(15, new FileInfo(Path.Combine(Home, "slow.bin")).Length);
    }

    [Fact]
    public async Task AChunkOverTheCapIsRefused_WhetherItDeclaresItsLengthOrNot()
    {
        using var client = await StartAsync();
        var big = new byte[SshFileEndpoints.MaxChunkBytes + 1];

        var (status, body) = await ReadAsync(await PutChunkAsync(client, "big.bin", 0, big, false));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "An upload chunk may hold at most 8 MiB."), (status, Error(body)));
        Assert.False(File.Exists(Path.Combine(Home, "big.bin"))); // refused before anything was opened

        // Chunked transfer encoding: no Content-Length, so the cap is counted while copying.
        var token = await client.CsrfAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, Files("/upload?path=big.bin&offset=0&final=1"))
        {
            Content = new StreamContent(new MemoryStream(big)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Oriel-Csrf", token);
        (status, body) = await ReadAsync(await client.Http.SendAsync(request));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "An upload chunk may hold at most 8 MiB."), (status, Error(body)));

        // The cut-short upload is over: it cannot be continued.
        (status, _) = await ReadAsync(await PutChunkAsync(client, "big.bin", SshFileEndpoints.MaxChunkBytes, [1], true));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.All(await FileAuditAsync(), e => Assert.False(e.Details!["ok"]!.GetValue<bool>()));

        // Exactly the cap is fine.
        (status, _) = await ReadAsync(await PutChunkAsync(client, "cap.bin", 0, big[..SshFileEndpoints.MaxChunkBytes], true));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task ADownloadStreamsWithItsLengthAndASafeAttachmentName_DirectoriesAndMissingFilesAreRefused()
    {
        using var client = await StartAsync();
        var name = "r\u00e9sum\u00e9 \"final\";.txt";
        var data = new byte[300_000];
        new Random(3).NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(Home, name), data);

        using (var response = await client.Http.GetAsync(Files("/download?path=" + Uri.EscapeDataString(name))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(data.Length, response.Content.Headers.ContentLength);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
            var disposition = response.Content.Headers.ContentDisposition!;
            Assert.Equal("attachment", disposition.DispositionType);
            Assert.Equal(name, disposition.FileNameStar);
            Assert.Equal("r_sum_ _final_;.txt", disposition.FileName!.Trim('"')); // the ASCII fallback
            Assert.Equal(data, await response.Content.ReadAsByteArrayAsync());
        }
        // (its audit row is written after the last byte went out)
        await WaitForAsync(async () => (await FileAuditAsync()).FirstOrDefault());

        var (status, body) = await ReadAsync(await client.Http.GetAsync(Files("/download?path=/home/tester")));
        Assert.Equal((HttpStatusCode.BadRequest, "That is a directory; only files can be downloaded."), (status, Error(body)));
        (status, body) = await ReadAsync(await client.Http.GetAsync(Files("/download?path=nothing-here")));
        Assert.Equal((HttpStatusCode.NotFound, "No such file or directory."), (status, Error(body)));
        (status, _) = await ReadAsync(await client.Http.GetAsync(Files("/download")));
        Assert.Equal(HttpStatusCode.BadRequest, status);

        var audit = (await FileAuditAsync()).Reverse().ToList();
        Assert.Equal(("download", "/home/tester/" + name, true), Row(audit[0]));
        Assert.Equal(data.Length, audit[0].Details!["size"]!.GetValue<long>());
        Assert.Equal([false, false, false], audit.Skip(1).Select(e => e.Details!["ok"]!.GetValue<bool>()));
        Assert.Equal("No such file or directory.", audit[2].Details!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task MkdirRenameAndDeleteChangeTheServer_AndItsFailuresMapToStatusesWithTheirSentences()
    {
        using var client = await StartAsync();
        await File.WriteAllTextAsync(Path.Combine(Home, "a.txt"), "a");

        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(await client.PostJsonAsync(Files("/mkdir"), new { path = "docs" }))).Status);
        Assert.True(Directory.Exists(Path.Combine(Home, "docs")));
        var (status, body) = await ReadAsync(await client.PostJsonAsync(Files("/mkdir"), new { path = "/home/tester/docs" }));
        Assert.Equal((HttpStatusCode.Conflict, "That name already exists."), (status, Error(body)));

        (status, body) = await ReadAsync(await client.PostJsonAsync(Files("/rename"), new { from = "a.txt", to = "docs/b.txt" }));
        Assert.Equal((HttpStatusCode.OK, "/home/tester/docs/b.txt"), (status, body.GetProperty("to").GetString()));
        Assert.True(File.Exists(Path.Combine(Home, "docs", "b.txt")));
        (status, body) = await ReadAsync(await client.PostJsonAsync(Files("/rename"), new { from = "a.txt", to = "c.txt" }));
        Assert.Equal((HttpStatusCode.NotFound, "No such file or directory."), (status, Error(body)));

        (status, _) = await ReadAsync(await client.PostJsonAsync(Files("/delete"), new { path = "docs" }));
        Assert.Equal(HttpStatusCode.BadGateway, status); // not empty: the server's failure
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(await client.PostJsonAsync(Files("/delete"), new { path = "docs/b.txt" }))).Status);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(await client.PostJsonAsync(Files("/delete"), new { path = "docs" }))).Status);
        Assert.Empty(Directory.GetFileSystemEntries(Home));

        // "/", "." and ".." are not names to change; a body that is not the call's JSON is a bad request.
        foreach (var path in new[] { "/", "..", "docs/." })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await ReadAsync(await client.PostJsonAsync(Files("/delete"), new { path }))).Status);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await ReadAsync(await client.PostJsonAsync(Files("/mkdir"), new[] { 1, 2 }))).Status);

        var audit = (await FileAuditAsync()).Reverse().Select(Row).Take(7).ToList();
        Assert.Equal(
        [
            ("mkdir", "/home/tester/docs", true), ("mkdir", "/home/tester/docs", false), ("rename", "/home/tester/a.txt", true),
            ("rename", "/home/tester/a.txt", false), ("delete", "/home/tester/docs", false), ("delete", "/home/tester/docs/b.txt", true),
            ("delete", "/home/tester/docs", true),
        ], audit);
        var rename = (await FileAuditAsync()).Single(e => e.Details!["op"]!.GetValue<string>() == "rename" && e.Details["ok"]!.GetValue<bool>());
        Assert.Equal("/home/tester/docs/b.txt", rename.Details!["to"]!.GetValue<string>());
    }

    [Fact]
    public async Task StateChangingCallsNeedTheCsrfTokenAndTheirOwnBodyType()
    {
        using var client = await StartAsync();

        var (status, _) = await ReadAsync(await PutChunkAsync(client, "x", 0, [1], true, tweak: r => r.Headers.Remove("X-Oriel-Csrf")));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await ReadAsync(await PutChunkAsync(client, "x", 0, [1], true, tweak: r => r.Content!.Headers.ContentType = new MediaTypeHeaderValue("text/plain")));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        (status, _) = await ReadAsync(await PutChunkAsync(client, "x", 0, [1], true, tweak: r => r.Headers.Add("Origin", "https://elsewhere.example")));
        Assert.Equal(HttpStatusCode.Forbidden, status);

        // The raw body is allowed on the upload only.
        var token = await client.CsrfAsync();
        using var mkdir = new HttpRequestMessage(HttpMethod.Post, Files("/mkdir")) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"path\":\"d\"}")) };
        mkdir.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        mkdir.Headers.Add("X-Oriel-Csrf", token);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.Http.SendAsync(mkdir)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJsonAsync(Files("/delete"), new { path = "x" }, r => r.Headers.Remove("X-Oriel-Csrf"))).StatusCode);

        Assert.Empty(Directory.GetFileSystemEntries(Home));
        Assert.Empty(await FileAuditAsync());
        Assert.NotEmpty(await Gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.RequestRefused }));
    }

    [Fact]
    public async Task OneSftpConnectionServesTheSession_AndClosesWhenItEnds_AuditingAnUnfinishedUpload()
    {
        using var client = await StartAsync();
        await client.GetJsonAsync(Files());
        await client.GetJsonAsync(Files());
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(await PutChunkAsync(client, "half.bin", 0, new byte[1000], false))).Status);
        var sftp = Assert.Single(_connector.Opened);
        Assert.Equal(1, Gw.Get<SshFilePanel>().OpenCount);

        Gw.Get<ISshFileAccessRegistry>().Unregister(SessionId);

        var unfinished = await WaitForAsync(async () => (await FileAuditAsync()).FirstOrDefault(e => e.Details!["op"]!.GetValue<string>() == "upload"));
        Assert.Equal(("upload", "/home/tester/half.bin", false), Row(unfinished));
        Assert.Equal(("The terminal session ended before the upload finished.", 1000L),
            (unfinished.Details!["error"]!.GetValue<string>(), unfinished.Details["size"]!.GetValue<long>()));
        Assert.True(sftp.Disposed);
        Assert.Equal(0, Gw.Get<SshFilePanel>().OpenCount);
        var (status, _) = await ReadAsync(await client.Http.GetAsync(Files()));
        Assert.Equal(HttpStatusCode.NotFound, status);

        // A new session gets a new connection.
        Register("sess-alice-3", true, true);
        await client.GetJsonAsync(Files(session: "sess-alice-3"));
        Assert.Equal(2, _connector.Opened.Count);
    }

    [Fact]
    public async Task AConnectionThatFailsIsAnsweredWithItsSentence_AndTheNextRequestTriesAgain()
    {
        using var client = await StartAsync();
        _connector.Failure = new SshFailure(SshFailureKind.Unreachable, "The target did not answer on port 22.");

        var (status, body) = await ReadAsync(await client.Http.GetAsync(Files()));
        Assert.Equal((HttpStatusCode.BadGateway, "The target did not answer on port 22."), (status, Error(body)));
        var failed = Assert.Single(await FileAuditAsync());
        Assert.Equal("The target did not answer on port 22.", failed.Details!["error"]!.GetValue<string>());

        _connector.Failure = null;
        await client.GetJsonAsync(Files());
        Assert.Single(_connector.Opened);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException("the condition never held");
    }

    public async ValueTask DisposeAsync()
    {
        if (_gw is not null)
        {
            await _gw.DisposeAsync();
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
