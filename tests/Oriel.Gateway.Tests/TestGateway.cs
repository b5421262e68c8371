using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;

namespace Oriel.Gateway.Tests;

/// <summary>A real gateway on a random loopback port over a temporary data directory.</summary>
internal sealed partial class TestGateway : IAsyncDisposable
{
    public const int FastIterations = 1_000;

    private TestGateway(GatewayApp app, string dataDir, StringWriter output, bool ownsDir)
    {
        App = app;
        DataDir = dataDir;
        Output = output;
        _ownsDir = ownsDir;
    }

    private readonly bool _ownsDir;

    public GatewayApp App { get; }

    public string DataDir { get; }

    public StringWriter Output { get; }

    public Uri BaseAddress => App.BaseAddress;

    public IServiceProvider Services => App.Services;

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "oriel-gw-tests", Guid.NewGuid().ToString("N"));

    public static void Configure(GatewayOptions o)
    {
        o.PasswordIterations = FastIterations;
        o.Urls = ["http://127.0.0.1:0"];
    }

    /// <summary>
    /// Starts a gateway; <paramref name="logs"/>, when given, receives its log entries too; <paramref name="services"/>
    /// adds to the gateway's services (a test's own protocol adapter or session observer).
    /// </summary>
    public static async Task<TestGateway> StartAsync(Action<GatewayOptions>? configure = null, string? dataDir = null,
        ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var ownsDir = dataDir is null;
        dataDir ??= NewDataDir();
        var output = new StringWriter();
        var options = new GatewayOptions { DataDirectory = dataDir, Output = output, WebRoot = Path.Combine(dataDir, "no-web-root") };
        Configure(options);
        configure?.Invoke(options);
        var builder = GatewayHost.CreateBuilder(options);
        services?.Invoke(builder.Services);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        var app = GatewayHost.Build(builder);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TestGateway(app, dataDir, output, ownsDir);
    }

    /// <summary>The administrator credentials printed at first start.</summary>
    public (string User, string Password) FirstRunAdmin()
    {
        var text = Output.ToString();
        var user = UserLine().Match(text);
        var password = PasswordLine().Match(text);
        Assert.True(user.Success && password.Success, "no first-run instructions in: " + text);
        return (user.Groups[1].Value, password.Groups[1].Value);
    }

    public ApiClient NewClient() => new(BaseAddress);

    /// <summary>Signs in as the first-run admin and replaces the one-time password.</summary>
    public async Task<ApiClient> AdminClientAsync(string newPassword = "admin-password-123")
    {
        var (user, password) = FirstRunAdmin();
        var client = NewClient();
        (await client.SignInAsync(user, password)).EnsureSuccessStatusCode();
        (await client.PostJsonAsync("/api/auth/password", new { currentPassword = password, newPassword })).EnsureSuccessStatusCode();
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [GeneratedRegex(@"Username:\s+(\S+)")]
    private static partial Regex UserLine();

    [GeneratedRegex(@"Password:\s+(\S+)")]
    private static partial Regex PasswordLine();
}
