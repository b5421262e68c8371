using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Ssh;
using Oriel.Gateway.Storage;
using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>
/// The real gateway in this process (its real <see cref="SshProtocol"/> and SSH client) on a loopback port, with one
/// user and the SSH target of <see cref="SshTestAccess"/>, first-use pins in a <see cref="MemoryHostKeyStore"/>, and an
/// observer noting secret input. Liveness settings are short, so a dead server is found in seconds.
/// </summary>
internal sealed class SshTestGateway : IAsyncDisposable
{
    public const string User = "terminal-user";
    private const string UserPassword = "terminal-user-password-1";

    /// <summary>The liveness settings of these tests: a check after 1 s of the loop's interval, answered within 3 s.</summary>
    public static readonly SessionTimeouts Timeouts = new()
    {
        TargetSilenceBeforeProbe = TimeSpan.FromSeconds(1),
        TargetProbeAnswer = TimeSpan.FromSeconds(3),
        BrowserCloseGrace = TimeSpan.FromSeconds(3),
    };

    private string? _cookie;

    private SshTestGateway(GatewayApp app, string dataDir)
    {
        App = app;
        DataDir = dataDir;
    }

    public GatewayApp App { get; }

    public string DataDir { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public SshTestAccess Access => Get<SshTestAccess>();

    public MemoryHostKeyStore Pins => Get<MemoryHostKeyStore>();

    public SecretInputObserverFactory Observers => Get<SecretInputObserverFactory>();

    public static async Task<SshTestGateway> StartAsync(SshSessionTarget target, int? windowBytes = null)
    {
        var dataDir = TestDirs.Create("ssh-gateway");
        var options = new GatewayOptions
        {
            DataDirectory = dataDir,
            Output = new StringWriter(),
            WebRoot = Path.Combine(dataDir, "no-web"),
            Urls = ["http://127.0.0.1:0"],
            PasswordIterations = 1_000,
            SessionTimeouts = Timeouts,
        };
        if (windowBytes is { } w)
        {
            options.TerminalWindowBytes = w;
        }
        var builder = GatewayHost.CreateBuilder(options);
        var services = builder.Services;
        services.AddSingleton<MemoryHostKeyStore>();
        services.AddSingleton<ISshHostKeyStore>(sp => sp.GetRequiredService<MemoryHostKeyStore>());
        services.AddSingleton(sp => new SshTestAccess(sp.GetRequiredService<AccessService>(), sp.GetRequiredService<MemoryHostKeyStore>()) { Target = target });
        services.AddSingleton<IAccessService>(sp => sp.GetRequiredService<SshTestAccess>());
        services.AddSingleton<SecretInputObserverFactory>();
        services.AddSingleton<ISessionObserverFactory>(sp => sp.GetRequiredService<SecretInputObserverFactory>());
        var app = GatewayHost.Build(builder);
        await app.StartAsync();
        var gateway = new SshTestGateway(app, dataDir);
        await gateway.Get<UserService>().CreateAsync(User, UserPassword, isAdmin: false, [], mustChangePassword: false, "tests");
        return gateway;
    }

    /// <summary>Opens the target's terminal and starts it at <paramref name="columns"/> x <paramref name="rows"/>.</summary>
    public async Task<TerminalTestClient> OpenTerminalAsync(ushort columns = 100, ushort rows = 30)
    {
        _cookie ??= await SignInCookieAsync();
        var client = await TerminalTestClient.ConnectAsync(App.BaseAddress, SshTestAccess.TargetId, _cookie);
        await client.StartAsync(columns, rows);
        return client;
    }

    /// <summary>The one live session (there is one at a time in these tests).</summary>
    public LiveSession LiveSession => Assert.Single(Get<SessionBroker>().Sessions);

    public async Task<IReadOnlyList<AuditEvent>> AuditAsync(string kind) => [.. await Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = kind })];

    public async Task<AuditEvent> WaitForAuditAsync(string kind, int count = 1)
    {
        for (var i = 0; i < 400; i++)
        {
            var events = await AuditAsync(kind);
            if (events.Count >= count)
            {
                return events.OrderBy(e => e.Sequence).Last();
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"no {kind} audit event #{count}");
    }

    private async Task<string> SignInCookieAsync()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = App.BaseAddress };
        var csrf = (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/auth/csrf")).GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signin") { Content = JsonContent.Create(new { username = User, password = UserPassword }) };
        request.Headers.Add("X-Oriel-Csrf", csrf);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return cookies.GetCookieHeader(App.BaseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
