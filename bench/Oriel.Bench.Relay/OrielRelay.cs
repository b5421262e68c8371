using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Bench.Relay;

/// <summary>
/// The gateway in this process over a fresh data directory, with a user allowed two targets (the push and
/// the echo target), signed in once: the benchmark connects to /api/sessions/{id}/rfb with that cookie.
/// Sessions are recorded, as in production (DATA/recordings).
/// </summary>
internal sealed class OrielRelay : IAsyncDisposable
{
    private const string User = "bench";
    private const string Password = "bench-password-1";
    private readonly GatewayApp _app;
    private readonly string _dataDir;

    private OrielRelay(GatewayApp app, string dataDir, string cookie)
    {
        _app = app;
        _dataDir = dataDir;
        Cookie = cookie;
    }

    public string Cookie { get; }
    public string Origin => _app.BaseAddress.GetLeftPart(UriPartial.Authority);

    public Uri Uri(bool push) => new(new Uri(_app.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), $"/api/sessions/{(push ? "push" : "echo")}/rfb");

    public static async Task<OrielRelay> StartAsync(int pushPort, int echoPort)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "oriel-bench-relay-" + Environment.ProcessId);
        var options = new GatewayOptions
        {
            DataDirectory = dataDir,
            Output = new StringWriter(),
            WebRoot = Path.Combine(dataDir, "no-web"),
            Urls = ["http://127.0.0.1:0"],
        };
        var builder = GatewayHost.CreateBuilder(options);
        builder.Logging.ClearProviders();
        var app = GatewayHost.Build(builder);
        await app.StartAsync().ConfigureAwait(false);
        var services = app.Services;
        await services.GetRequiredService<RoleService>().SaveAsync(new RoleRecord("bench", "relay benchmark", [], [new Dictionary<string, string> { ["env"] = "bench" }],
            ClipboardRead: true, ClipboardWrite: true, Resize: true, MaxSessions: null, Declared: false), "bench").ConfigureAwait(false);
        await services.GetRequiredService<UserService>().CreateAsync(User, Password, isAdmin: false, ["bench"], mustChangePassword: false, "bench").ConfigureAwait(false);
        foreach (var (id, port) in new[] { ("push", pushPort), ("echo", echoPort) })
        {
            var target = new TargetRecord(id, id, "127.0.0.1", port, "synthetic " + id, new Dictionary<string, string> { ["env"] = "bench" },
                null, null, new VncTargetSettings(["none"], TlsVerification.Insecure, null), Declared: false);
            await services.GetRequiredService<TargetService>().SaveAsync(target, null, "bench").ConfigureAwait(false);
        }
        return new OrielRelay(app, dataDir, await SignInAsync(app.BaseAddress).ConfigureAwait(false));
    }

    private static async Task<string> SignInAsync(Uri baseAddress)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress };
        var csrf = (await http.GetFromJsonAsync<JsonElement>("/api/auth/csrf").ConfigureAwait(false)).GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signin") { Content = JsonContent.Create(new { username = User, password = Password }) };
        request.Headers.Add("X-Oriel-Csrf", csrf);
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return cookies.GetCookieHeader(baseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
