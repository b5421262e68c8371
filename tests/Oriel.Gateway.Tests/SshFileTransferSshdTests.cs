using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Ssh;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.TestPeers;
using Xunit.Abstractions;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The file panel's HTTP API end to end against a real OpenSSH sshd (its sftp-server) through Oriel's SSH client
/// (<see cref="SshNetConnector"/>): a 20 MB file goes up in 4 MiB chunks and comes back byte-exact (SHA-256), streamed:
/// while the download is held half-read, the gateway (this process) holds nowhere near the file.
/// </summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class SshFileTransferSshdTests(ITestOutputHelper output)
{
    private const string User = "alice";
    private const string Password = "file-panel-pass-12";
    private const string SessionId = "sess-sshd-1";
    private const int FileBytes = 20 * 1000 * 1000;
    private const int Chunk = 4 * 1024 * 1024;

    /// <summary>
    /// Growth of this process's managed heap that would mean the gateway holds the file: half of it. Buffer pools
    /// (Kestrel's, ArrayPool's) keep a few MB once warmed up by the first transfer; a gateway that buffered the whole
    /// file grew by 37 MB here.
    /// </summary>
    private const long HeldLimitBytes = FileBytes / 2;

    [Fact(Timeout = 180_000)]
    public async Task A20MegabyteFileGoesUpInChunksAndComesBackByteExact_WithoutTheGatewayHoldingIt()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var gw = await TestGateway.StartAsync(services: s => s.AddSingleton<ISshConnector, SshNetConnector>());
        var labels = new Dictionary<string, string> { ["env"] = "sshd" };
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("sshd", "sshd", "127.0.0.1", server.Port, "", labels, server.User, null, SshTargetSettings.Default, false), null, "test");
        await gw.Get<RoleService>().SaveAsync(new RoleRecord("shell-users", "", [], [labels], false, false, true, null, false), "test");
        var (user, _) = await gw.Get<UserService>().CreateAsync(User, Password, false, ["shell-users"], false, "test");
        var request = new SshConnectRequest("127.0.0.1", server.Port, server.User, new SshCredentials(SshdServer.Password, null, null),
            key => server.HostKeys.Any(k => k.Sha256Fingerprint == key.FingerprintSha256)) { ConnectTimeout = TimeSpan.FromSeconds(20) };
        gw.Get<ISshFileAccessRegistry>().Register(new SshFileAccess(SessionId, user.Id, "sshd", request, MayDownload: true, MayUpload: true));
        using var client = gw.NewClient();
        (await client.SignInAsync(User, Password)).EnsureSuccessStatusCode();
        const string Files = $"/api/sessions/live/{SessionId}/files";

        var home = (await client.GetJsonAsync(Files)).GetProperty("home").GetString()!;
        var dir = $"oriel-files-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"{Files}/mkdir", new { path = dir })).StatusCode);
        var path = $"{dir}/big.bin";
        var baseline = SettledHeapBytes();

        // Up: 4 MiB chunks of seeded bytes, hashed as they are made; the test keeps one chunk at a time.
        using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var random = new Random(20);
        var token = await client.CsrfAsync();
        for (var offset = 0; offset < FileBytes; offset += Chunk)
        {
            var chunk = new byte[Math.Min(Chunk, FileBytes - offset)];
            random.NextBytes(chunk);
            sentHash.AppendData(chunk);
            var final = offset + chunk.Length == FileBytes;
            using var put = new HttpRequestMessage(HttpMethod.Put, $"{Files}/upload?path={Uri.EscapeDataString(path)}&offset={offset}&final={(final ? 1 : 0)}")
            {
                Content = new ByteArrayContent(chunk),
            };
            put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            put.Headers.Add("X-Oriel-Csrf", token);
            using var answer = await client.Http.SendAsync(put);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal(offset + chunk.Length, JsonDocument.Parse(body).RootElement.GetProperty("written").GetInt64());
        }

        var afterUpload = SettledHeapBytes();
        output.WriteLine($"managed heap: {baseline} before, {afterUpload} after the upload");
        Assert.True(afterUpload - baseline < HeldLimitBytes, $"the managed heap grew by {afterUpload - baseline} bytes over the upload");
        var listed = (await client.GetJsonAsync($"{Files}?path={dir}")).GetProperty("entries").EnumerateArray().Single();
        Assert.Equal(("big.bin", FileBytes), (listed.GetProperty("name").GetString(), listed.GetProperty("size").GetInt32()));

        // Down: streamed with its length; held half-read, the gateway has not read the file ahead into memory.
        using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var response = await client.Http.GetAsync($"{Files}/download?path={Uri.EscapeDataString(home + "/" + path)}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(FileBytes, response.Content.Headers.ContentLength);
            Assert.Equal("big.bin", response.Content.Headers.ContentDisposition!.FileNameStar);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            long received = 0;
            var measured = false;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                receivedHash.AppendData(buffer, 0, n);
                received += n;
                if (!measured && received >= FileBytes / 2)
                {
                    measured = true;
                    await Task.Delay(500); // let the gateway run ahead as far as it would
                    var midway = SettledHeapBytes();
                    output.WriteLine($"managed heap: {midway} with the download half-read");
                    Assert.True(midway - afterUpload < HeldLimitBytes, $"the managed heap grew by {midway - afterUpload} bytes with the download half-read");
                }
            }
            Assert.Equal(FileBytes, received);
        }
        Assert.Equal(sentHash.GetHashAndReset(), receivedHash.GetHashAndReset());

        // Both transfers are audited once each with their size; then the files go, and the connection with the session.
        // (the download's audit row is written after its last byte went out: wait for it)
        IReadOnlyList<AuditEvent> audit = [];
        for (var i = 0; i < 200 && !audit.Any(e => e.Details!["op"]!.GetValue<string>() == "download"); i++)
        {
            await Task.Delay(i == 0 ? 0 : 25);
            audit = await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = SshAuditKinds.FileOperation });
        }
        var upload = Assert.Single(audit, e => e.Details!["op"]!.GetValue<string>() == "upload");
        var download = Assert.Single(audit, e => e.Details!["op"]!.GetValue<string>() == "download");
        Assert.Equal((true, (long)FileBytes, $"{home}/{path}"), (upload.Details!["ok"]!.GetValue<bool>(), upload.Details["size"]!.GetValue<long>(), upload.Details["path"]!.GetValue<string>()));
        Assert.Equal((true, (long)FileBytes), (download.Details!["ok"]!.GetValue<bool>(), download.Details["size"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"{Files}/delete", new { path })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"{Files}/delete", new { path = dir })).StatusCode);
        Assert.Equal(1, gw.Get<SshFilePanel>().OpenCount);
        gw.Get<ISshFileAccessRegistry>().Unregister(SessionId);
        Assert.Equal(0, gw.Get<SshFilePanel>().OpenCount);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync(Files)).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task TheRealServersRefusalsComeBackAsStatusesWithSentences()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        await using var gw = await TestGateway.StartAsync(services: s => s.AddSingleton<ISshConnector, SshNetConnector>());
        var labels = new Dictionary<string, string> { ["env"] = "sshd" };
        await gw.Get<RoleService>().SaveAsync(new RoleRecord("shell-users", "", [], [labels], false, false, true, null, false), "test");
        var (user, _) = await gw.Get<UserService>().CreateAsync(User, Password, false, ["shell-users"], false, "test");
        var request = new SshConnectRequest("127.0.0.1", server.Port, server.User, new SshCredentials(SshdServer.Password, null, null),
            key => server.HostKeys.Any(k => k.Sha256Fingerprint == key.FingerprintSha256)) { ConnectTimeout = TimeSpan.FromSeconds(20) };
        gw.Get<ISshFileAccessRegistry>().Register(new SshFileAccess(SessionId, user.Id, "sshd", request, MayDownload: true, MayUpload: true));
        using var client = gw.NewClient();
        (await client.SignInAsync(User, Password)).EnsureSuccessStatusCode();
        const string Files = $"/api/sessions/live/{SessionId}/files";

        using (var missing = await client.Http.GetAsync($"{Files}/download?path=no-such-file-{Guid.NewGuid():N}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()));
        }
        using (var denied = await client.PostJsonAsync($"{Files}/mkdir", new { path = "/etc/oriel-not-allowed" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }
        var dir = $"oriel-files-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"{Files}/mkdir", new { path = dir })).StatusCode);
        using (var exists = await client.PostJsonAsync($"{Files}/mkdir", new { path = dir }))
        {
            // SFTP version 3 (OpenSSH) has no "already exists" status: a plain failure, the server's sentence, 502.
            Assert.Equal(HttpStatusCode.BadGateway, exists.StatusCode);
            Assert.Contains(dir, (await exists.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"{Files}/delete", new { path = dir })).StatusCode);
    }

    /// <summary>The managed heap after full collections: what this process (the gateway and the test) holds.</summary>
    private static long SettledHeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
