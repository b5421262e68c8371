using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Oriel.TestPeers;

namespace Oriel.Bench.Ssh;

/// <summary>
/// The gateway as its own process (<c>dotnet oriel.dll serve</c>) over a data directory configured through its CLI:
/// one SSH target (the benchmark's sshd, its user and password; host key trusted on first use), one role granting it
/// with recording off, and one user holding that role (not an administrator: administrators are recorded best effort
/// whatever the roles say). <see cref="ConfigureAsync"/> builds the data directory once; <see cref="StartAsync"/> starts
/// a fresh process over it and signs in, so each measured run has its own process (CPU, RSS and threads are its own).
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    public const string UserName = "bench";
    public const string Password = "bench-password-1";
    public const string TargetId = "bench-ssh";
    private const string RoleName = "bench";

    private GatewayProcess(ManagedProcess process, Uri baseAddress, string cookie)
    {
        Process = process;
        BaseAddress = baseAddress;
        Cookie = cookie;
    }

    /// <summary>The gateway process (it leads its own process group).</summary>
    public ManagedProcess Process { get; }

    public Uri BaseAddress { get; }

    /// <summary>The signed-in user's cookie header.</summary>
    public string Cookie { get; }

    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>The rendered (TDP) WebSocket of the target.</summary>
    public Uri TerminalUri => new(new Uri(BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), $"/api/sessions/{TargetId}/tdp");

    /// <summary>
    /// A fresh data directory with the target, role and user, through <c>oriel targets add / roles add / users add</c>.
    /// The target options are those every protocol takes (<c>--protocol ssh --host --port --username --password-stdin</c>);
    /// SSH-only settings are left at their defaults (trust on first use: the first run pins sshd's key).
    /// </summary>
    public static async Task<string> ConfigureAsync(string gatewayDll, SshdServer sshd)
    {
        if (!File.Exists(gatewayDll))
        {
            throw new InvalidOperationException($"no gateway at {gatewayDll}: build it (bench/run-ssh does) or pass --gateway-dll");
        }
        var inv = CultureInfo.InvariantCulture;
        var data = TestDirs.Create("oriel-ssh-data");
        await CliAsync(gatewayDll, [
            "targets", "add", "Bench SSH", "--id", TargetId, "--protocol", "ssh",
            "--host", "127.0.0.1", "--port", sshd.Port.ToString(inv), "--username", sshd.User, "--password-stdin", "--data", data,
        ], SshdServer.Password + "\n").ConfigureAwait(false);
        // Recording off: an asciicast of 1 GiB of NUL bytes would be about 6 GiB of "\u0000" on disk, and the
        // benchmark measures the terminal path, not the recorder.
        await CliAsync(gatewayDll, ["roles", "add", RoleName, "--target", TargetId, "--recording", "off", "--data", data], null).ConfigureAwait(false);
        await CliAsync(gatewayDll, ["users", "add", UserName, "--role", RoleName, "--password-stdin", "--data", data], Password + "\n").ConfigureAwait(false);
        return data;
    }

    /// <summary>Starts the gateway over <paramref name="data"/> on a free loopback port and signs the benchmark user in.</summary>
    public static async Task<GatewayProcess> StartAsync(
        string gatewayDll, string data, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var port = TestPorts.GetFreePort();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        var env = new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        foreach (var (name, value) in environment) env[name] = value;
        var process = ManagedProcess.Start(
            ["dotnet", gatewayDll, "serve", "--data", data, "--urls", url, "--web-root", Path.Combine(data, "no-web")], env, data);
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var baseAddress = new Uri(url + "/");
            return new GatewayProcess(process, baseAddress, await SignInAsync(baseAddress, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The number of live sessions the gateway lists for the signed-in user (<c>GET /api/sessions</c>).</summary>
    public async Task<int> LiveSessionCountAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        request.Headers.Add("Cookie", Cookie);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET /api/sessions: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Array) return root.GetArrayLength();
        foreach (var name in new[] { "sessions", "items" })
        {
            if (root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array) return list.GetArrayLength();
        }
        throw new InvalidOperationException("GET /api/sessions: no list in " + body);
    }

    private static async Task<string> SignInAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress };
        var csrf = (await http.GetFromJsonAsync<JsonElement>("/api/auth/csrf", cancellationToken).ConfigureAwait(false)).GetProperty("token").GetString()
            ?? throw new InvalidOperationException("GET /api/auth/csrf gave no token");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signin") { Content = JsonContent.Create(new { username = UserName, password = Password }) };
        request.Headers.Add("X-Oriel-Csrf", csrf);
        request.Headers.Add("Origin", baseAddress.GetLeftPart(UriPartial.Authority));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"sign-in: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
        return cookies.GetCookieHeader(baseAddress);
    }

    private static async Task CliAsync(string gatewayDll, IReadOnlyList<string> args, string? input)
    {
        var result = await ProcessRunner.RunAsync(
            ["dotnet", gatewayDll, .. args],
            standardInput: input is null ? null : Encoding.UTF8.GetBytes(input),
            timeout: TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        result.EnsureSuccess();
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
