using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// SSH targets through a real gateway: the login chosen with <c>?login=</c> on the session endpoint (allowed: the
/// target's username, or a login the target offers and a role allows; anything else refused 403 and audited like any
/// refused target), the logins listed by <c>GET /api/targets</c>, and the administrator's listings and host key pin
/// endpoint. The "ssh" adapter here is the test's <see cref="FakeProtocol"/> (replacing the gateway's own when it has one),
/// and an observer records the access decision the adapter would be handed, then ends the session.
/// </summary>
public sealed class SshTargetApiTests : IAsyncLifetime
{
    private const string UserPassword = "erin-password-12";
    private const string AdminPassword = "root-password-12";
    private const string TargetPassword = "tester-vault-password";
    private const string Pin = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

    private readonly DecisionRecorder _decisions = new();
    private TestGateway _gw = null!;

    public async Task InitializeAsync()
    {
        _gw = await TestGateway.StartAsync(services: s =>
        {
            s.RemoveAll<IProtocolAdapter>(); // the gateway's own adapters (VNC, and SSH once it speaks it) give way to the fake
            s.AddSingleton<IProtocolAdapter>(new FakeProtocol("ssh", "SSH", SessionKinds.Rendered));
            s.AddSingleton<IProtocolAdapter>(new FakeProtocol("vnc", "VNC", SessionKinds.Rendered));
            s.AddSingleton<ISessionObserverFactory>(_decisions);
        });
        var keyDir = Path.Combine(_gw.DataDir, "keys");
        var key = await File.ReadAllTextAsync(await SshTestKeys.CreateAsync(keyDir));
        var targets = _gw.Get<TargetService>();
        await targets.SaveWithSecretsAsync(
            new TargetRecord("shell", "Shell", "192.0.2.70", 22, "", new Dictionary<string, string> { ["env"] = "lab" }, "tester", null,
                SshTargetSettings.Default with { Logins = ["backup", "ops"] }, false),
            new TargetSecretChanges(TargetPassword, key, "key-passphrase"), "tests");
        await targets.SaveAsync(
            new TargetRecord("desk", "Desk", "192.0.2.71", 5900, "", new Dictionary<string, string> { ["env"] = "lab" }, null, null, VncTargetSettings.Default, false),
            TargetPassword, "tests");
        await _gw.Get<RoleService>().SaveAsync(
            new RoleRecord("lab", "", [], [new Dictionary<string, string> { ["env"] = "lab" }], false, false, true, null, false)
            {
                Logins = ["backup", "nobody"],
                FileDownload = true,
            },
            "tests");
        await _gw.Get<UserService>().CreateAsync("erin", UserPassword, false, ["lab"], false, "tests");
        await _gw.Get<UserService>().CreateAsync("root", AdminPassword, true, [], false, "tests");
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task WithoutALogin_TheTargetsUsername_WithTheVaultsSecrets()
    {
        using var erin = await SignInAsync("erin", UserPassword);
        var decision = await OpenAndRecordAsync(erin, "/api/sessions/shell/tdp");
        Assert.Equal(("tester", TargetPassword, "key-passphrase"), (decision.Target!.Username, decision.Target.Password, decision.Target.PrivateKeyPassphrase));
        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", decision.Target.PrivateKey, StringComparison.Ordinal);
        Assert.True(decision.Permissions.FileDownload);

        var named = await OpenAndRecordAsync(erin, "/api/sessions/shell/tdp?login=tester");
        Assert.Equal(("tester", TargetPassword), (named.Target!.Username, named.Target.Password));
        Assert.NotNull(named.Target.PrivateKey);
    }

    [Fact]
    public async Task AnotherLoginTheRoleAllows_GetsNoStoredSecret()
    {
        using var erin = await SignInAsync("erin", UserPassword);
        var decision = await OpenAndRecordAsync(erin, "/api/sessions/shell/tdp?login=backup");
        Assert.Equal("backup", decision.Target!.Username);
        Assert.Equal(("shell", "192.0.2.70", 22), (decision.Target.Id, decision.Target.Host, decision.Target.Port));
        Assert.Null(decision.Target.Password);
        Assert.Null(decision.Target.PrivateKey);
        Assert.Null(decision.Target.PrivateKeyPassphrase);
        Assert.IsType<SshTargetSettings>(decision.Target.Settings);
    }

    [Theory]
    [InlineData("erin", "ops", "login ops is not allowed on this target")] // offered by the target, not allowed by the role
    [InlineData("erin", "nobody", "login nobody is not allowed on this target")] // allowed by the role, not offered by the target
    [InlineData("root", "nobody", "login nobody is not allowed on this target")] // administrators: any login the target offers, no other
    [InlineData("erin", "bad%20name", "a login must be 1-64 characters of letters, digits, '.', '_' or '-'")]
    [InlineData("erin", "backup&login=ops", "give one login")]
    public async Task ALoginNotAllowed_IsRefusedLikeARefusedTarget_AndAudited(string user, string login, string reason)
    {
        using var client = await SignInAsync(user, user == "root" ? AdminPassword : UserPassword);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfSocketAsync(client, $"/api/sessions/shell/tdp?login={login}"));
        var denied = (await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionDenied, Limit = 1 }))[0];
        Assert.Equal((user, "shell", reason), (denied.Actor, denied.Target, denied.Details!["reason"]!.GetValue<string>()));
        Assert.Empty(_decisions.Seen);
        Assert.Empty(_gw.Get<SessionBroker>().Sessions);
    }

    [Fact]
    public async Task AnAdministrator_MayUseAnyLoginTheTargetOffers()
    {
        using var root = await SignInAsync("root", AdminPassword);
        var decision = await OpenAndRecordAsync(root, "/api/sessions/shell/tdp?login=ops");
        Assert.Equal("ops", decision.Target!.Username);
        Assert.Null(decision.Target.PrivateKey);
    }

    [Fact]
    public async Task ALoginOnATargetThatIsNotSsh_IsRefusedWithASentence()
    {
        using var erin = await SignInAsync("erin", UserPassword);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfSocketAsync(erin, "/api/sessions/desk/tdp?login=backup"));
        var denied = (await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionDenied, Limit = 1 }))[0];
        Assert.Equal("a login is chosen only on SSH targets; this is a vnc target", denied.Details!["reason"]!.GetValue<string>());
        var plain = await OpenAndRecordAsync(erin, "/api/sessions/desk/tdp?login=");
        Assert.Null(plain.Target!.Username);
    }

    [Fact]
    public async Task TheTargetsList_GivesSshTargetsTheLoginsThisUserMayChoose()
    {
        using var erin = await SignInAsync("erin", UserPassword);
        var list = await erin.GetJsonAsync("/api/targets");
        var shell = Find(list, "shell");
        Assert.Equal("ssh", shell.GetProperty("protocol").GetString());
        Assert.Equal(["tester", "backup"], shell.GetProperty("logins").EnumerateArray().Select(e => e.GetString()!));
        Assert.True(shell.GetProperty("permissions").GetProperty("fileDownload").GetBoolean());
        Assert.False(shell.GetProperty("permissions").GetProperty("fileUpload").GetBoolean());
        Assert.False(Find(list, "desk").TryGetProperty("logins", out _));
        var text = list.GetRawText();
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.70", text, StringComparison.Ordinal);

        using var root = await SignInAsync("root", AdminPassword);
        var all = Find(await root.GetJsonAsync("/api/targets"), "shell");
        Assert.Equal(["tester", "backup", "ops"], all.GetProperty("logins").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public async Task Administrators_SeeTheSshSettingsAndWhetherAKeyIsStored_AndReplacePins()
    {
        using var root = await SignInAsync("root", AdminPassword);
        var shell = Find(await root.GetJsonAsync("/api/admin/targets"), "shell");
        Assert.True(shell.GetProperty("hasPrivateKey").GetBoolean());
        Assert.True(shell.GetProperty("hasPrivateKeyPassphrase").GetBoolean());
        Assert.True(shell.GetProperty("trustOnFirstUse").GetBoolean());
        Assert.Equal(["backup", "ops"], shell.GetProperty("logins").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(0, shell.GetProperty("hostKeyPins").GetArrayLength());
        Assert.DoesNotContain("PRIVATE KEY", shell.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("key-passphrase", shell.GetRawText(), StringComparison.Ordinal);
        var lab = (await root.GetJsonAsync("/api/admin/roles")).EnumerateArray().Single(r => r.GetProperty("name").GetString() == "lab");
        Assert.Equal(["backup", "nobody"], lab.GetProperty("logins").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal((true, false, false), (lab.GetProperty("fileDownload").GetBoolean(), lab.GetProperty("fileUpload").GetBoolean(), lab.GetProperty("browserAuthPrompts").GetBoolean()));

        using (var put = await PutJsonAsync(root, "/api/admin/targets/shell/host-key-pins", new { pins = new[] { Pin } }))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }

        Assert.Equal([Pin], ((SshTargetSettings)(await _gw.Get<IOrielStore>().FindTargetAsync("shell"))!.Settings).HostKeyPins);
        var audit = (await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.TargetUpdate, Limit = 1 }))[0];
        Assert.Equal(("root", "shell", Pin), (audit.Actor, audit.Target, audit.Details!["hostKeyPins"]![0]!.GetValue<string>()));

        using (var clear = await PutJsonAsync(root, "/api/admin/targets/shell/host-key-pins", new { pins = Array.Empty<string>() }))
        {
            Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        }

        Assert.Empty(((SshTargetSettings)(await _gw.Get<IOrielStore>().FindTargetAsync("shell"))!.Settings).HostKeyPins);

        using (var bad = await PutJsonAsync(root, "/api/admin/targets/shell/host-key-pins", new { pins = new[] { "md5:00" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("is not a SHA-256 fingerprint", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        using (var vnc = await PutJsonAsync(root, "/api/admin/targets/desk/host-key-pins", new { pins = new[] { Pin } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, vnc.StatusCode);
        }

        using (var missing = await PutJsonAsync(root, "/api/admin/targets/gone/host-key-pins", new { pins = new[] { Pin } }))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using var erin = await SignInAsync("erin", UserPassword);
        using var notAdmin = await PutJsonAsync(erin, "/api/admin/targets/shell/host-key-pins", new { pins = new[] { Pin } });
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Empty(((SshTargetSettings)(await _gw.Get<IOrielStore>().FindTargetAsync("shell"))!.Settings).HostKeyPins);
    }

    [Fact]
    public async Task ASessionAsALoginTheRoleNoLongerAllows_IsEnded_AtTheNextRecheck()
    {
        _decisions.Refuse = false;
        using var erin = await SignInAsync("erin", UserPassword);
        using var asBackup = await OpenRunningAsync(erin, "/api/sessions/shell/tdp?login=backup");
        using var asTester = await OpenRunningAsync(erin, "/api/sessions/shell/tdp");
        var broker = _gw.Get<SessionBroker>();
        Assert.Equal(["backup", null], broker.Sessions.OrderBy(s => s.Login is null).Select(s => s.Login));

        var revalidator = _gw.Get<SessionRevalidator>();
        Assert.Equal(0, await revalidator.RevalidateAllAsync(CancellationToken.None));
        var role = (await _gw.Get<IOrielStore>().FindRoleAsync("lab"))!;
        await _gw.Get<RoleService>().SaveAsync(role with { Logins = ["nobody"] }, "tests");
        Assert.Equal(1, await revalidator.RevalidateAllAsync(CancellationToken.None));
        Assert.Contains("login backup is not allowed on this target", await ClosedBecauseAsync(asBackup), StringComparison.Ordinal);
        for (var i = 0; i < 200 && broker.Sessions.Count > 1; i++)
        {
            await Task.Delay(25); // the host removes the session from the broker after closing it
        }

        Assert.Null(Assert.Single(broker.Sessions).Login);
    }

    private async Task<ClientWebSocket> OpenRunningAsync(ApiClient client, string path)
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Origin", _gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = client.Cookies;
        await ws.ConnectAsync(new Uri($"ws://{_gw.BaseAddress.Authority}{path}"), CancellationToken.None);
        await ws.SendAsync(Oriel.Tdp.TdpCodec.Encode(new Oriel.Tdp.ClientUsernameMessage("erin")), WebSocketMessageType.Binary, true, CancellationToken.None);
        await ws.SendAsync(Oriel.Tdp.TdpCodec.Encode(new Oriel.Tdp.ClientScreenSpecMessage(640, 480)), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await ws.ReceiveAsync(buffer, timeout.Token); // the fake desktop's size: the session is running
        Assert.Equal(WebSocketMessageType.Binary, first.MessageType);
        return ws;
    }

    /// <summary>Reads until the gateway closes the socket; returns every text it sent (notifications) and the close description.</summary>
    private static async Task<string> ClosedBecauseAsync(ClientWebSocket ws)
    {
        var buffer = new byte[64 * 1024];
        var seen = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, timeout.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                return seen.Append(ws.CloseStatusDescription).ToString();
            }

            seen.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, r.Count)).Append('\n');
        }
    }

    private static JsonElement Find(JsonElement list, string id) => list.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);

    private async Task<ApiClient> SignInAsync(string user, string password)
    {
        var client = new ApiClient(_gw.BaseAddress);
        (await client.SignInAsync(user, password)).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<HttpResponseMessage> PutJsonAsync(ApiClient client, string path, object body)
    {
        var token = await client.CsrfAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Oriel-Csrf", token);
        return await client.Http.SendAsync(request);
    }

    /// <summary>Opens the session; the recorder takes the decision and ends it before the adapter runs.</summary>
    private async Task<AccessDecision> OpenAndRecordAsync(ApiClient client, string path)
    {
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Origin", _gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = client.Cookies;
        await ws.ConnectAsync(new Uri($"ws://{_gw.BaseAddress.Authority}{path}"), CancellationToken.None);
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await ws.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
        {
        }

        Assert.Equal(DecisionRecorder.Why, ws.CloseStatusDescription);
        Assert.True(_decisions.Seen.TryDequeue(out var decision));
        return decision;
    }

    private async Task<HttpStatusCode> StatusOfSocketAsync(ApiClient client, string path)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.SetRequestHeader("Origin", _gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = client.Cookies;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://{_gw.BaseAddress.Authority}{path}"), CancellationToken.None));
        return ws.HttpStatusCode;
    }

    /// <summary>Keeps the access decision of each admitted session, then refuses it (the session ends before the adapter runs).</summary>
    private sealed class DecisionRecorder : ISessionObserverFactory
    {
        public const string Why = "decision recorded by the test";

        public System.Collections.Concurrent.ConcurrentQueue<AccessDecision> Seen { get; } = new();

        /// <summary>False: let sessions run (the fake adapter's desktop), recording nothing.</summary>
        public bool Refuse { get; set; } = true;

        public ValueTask<ISessionObserver?> OpenAsync(LiveSession live, AccessDecision decision, CancellationToken ct)
        {
            if (!Refuse)
            {
                return ValueTask.FromResult<ISessionObserver?>(null);
            }

            Seen.Enqueue(decision);
            throw new SessionFailure(SessionEndReason.InternalError, Why);
        }
    }
}
