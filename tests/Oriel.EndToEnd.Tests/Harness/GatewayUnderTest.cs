using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>The real gateway, in this process, on a random loopback port, with its own SQLite data directory.</summary>
internal sealed class GatewayUnderTest : IAsyncDisposable
{
    private GatewayUnderTest(GatewayApp app, string dataDir)
    {
        App = app;
        DataDir = dataDir;
    }

    public GatewayApp App { get; }
    public string DataDir { get; }
    public Uri BaseAddress => App.BaseAddress;
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<GatewayUnderTest> StartAsync(bool withWebClient = false, Action<GatewayOptions>? configure = null)
    {
        var dataDir = TestDirs.Create("gateway");
        var options = new GatewayOptions
        {
            DataDirectory = dataDir,
            Output = new StringWriter(),
            WebRoot = withWebClient ? RepoPaths.WebDist : Path.Combine(dataDir, "no-web"),
            Urls = ["http://127.0.0.1:0"],
            PasswordIterations = 1_000,
        };
        configure?.Invoke(options);
        var app = GatewayHost.Build(GatewayHost.CreateBuilder(options));
        await app.StartAsync();
        return new GatewayUnderTest(app, dataDir);
    }

    /// <summary>Creates a role granting targets labelled env=e2e, and a user holding it.</summary>
    public async Task CreateUserAsync(string userName, string password, bool clipboard = true, bool resize = true, string role = "e2e-users", string label = "e2e")
    {
        await Get<RoleService>().SaveAsync(new RoleRecord(role, "end-to-end tests", [], [new Dictionary<string, string> { ["env"] = label }],
            ClipboardRead: clipboard, ClipboardWrite: clipboard, Resize: resize, MaxSessions: null, Declared: false), "tests");
        await Get<UserService>().CreateAsync(userName, password, isAdmin: false, [role], mustChangePassword: false, "tests");
    }

    public async Task AddVncTargetAsync(string id, int port, IReadOnlyList<string> security, string? password = null, string? username = null,
        string label = "e2e", TlsVerification tls = TlsVerification.Insecure, string? pin = null, string host = "127.0.0.1", int? jpegQuality = null)
    {
        var target = new TargetRecord(id, id, host, port, "test desktop " + id, new Dictionary<string, string> { ["env"] = label },
            username, null, new VncTargetSettings(security, tls, pin) { JpegQuality = jpegQuality }, Declared: false);
        await Get<TargetService>().SaveAsync(target, password, "tests");
    }

    public async Task<IReadOnlyList<AuditEvent>> AuditAsync(string kind) =>
        (await Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = kind })).ToList();

    /// <summary>Signs in over HTTP and returns the cookie header value for WebSocket requests.</summary>
    public async Task<string> SignInCookieAsync(string userName, string password)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = BaseAddress };
        var csrf = (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/auth/csrf")).GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signin") { Content = JsonContent.Create(new { username = userName, password }) };
        request.Headers.Add("X-Oriel-Csrf", csrf);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return cookies.GetCookieHeader(BaseAddress);
    }

    /// <summary>Signs out the browser session behind <paramref name="cookie"/> (as returned by <see cref="SignInCookieAsync"/>).</summary>
    public async Task SignOutAsync(string cookie)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var csrf = cookie.Split(';', StringSplitOptions.TrimEntries).First(c => c.StartsWith("oriel_csrf=", StringComparison.Ordinal))["oriel_csrf=".Length..];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signout") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("X-Oriel-Csrf", csrf);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
