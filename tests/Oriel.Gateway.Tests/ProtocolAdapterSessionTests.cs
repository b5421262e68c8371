using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Sessions go through the protocol registry: a target whose protocol has no adapter is refused (501 for a rendered
/// session, 400 with a JSON error for passthrough), and a protocol whose adapter a test registers (<see cref="FakeProtocol"/>,
/// under the name "rdp", which the gateway itself does not speak) is admitted and run through the same lifecycle as VNC,
/// with no change to admission, the broker or the endpoints. Its session's observers see the TDP both ways and the end.
/// </summary>
public sealed class ProtocolAdapterSessionTests
{
    private const string User = "carol";
    private const string Password = "carol-password-12";

    [Fact]
    public async Task ATargetWhoseProtocolHasNoAdapterIsRefused_501ForTdp_400WithTheReasonForPassthrough()
    {
        await using var gw = await StartAsync();
        using var browser = await SignInAsync(gw);

        Assert.Equal(HttpStatusCode.NotImplemented, await StatusOfSocketAsync(gw, browser, "/api/sessions/shell/tdp"));
        var (status, error) = await UpgradeRefusalAsync(gw, browser, "/api/sessions/shell/rfb");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Passthrough is offered for VNC targets only.", error);
        Assert.Empty(gw.Get<SessionBroker>().Sessions);
        Assert.Empty(await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionStart }));
    }

    [Fact]
    public async Task AProtocolRegisteredByATestIsAdmittedAndRunsThroughTheSessionLifecycle()
    {
        var fake = new FakeProtocol("rdp", "RDP", SessionKinds.Rendered);
        var observers = new ObserverFactory();
        await using var gw = await StartAsync(s => s.AddSingleton<IProtocolAdapter>(fake).AddSingleton<ISessionObserverFactory>(observers));
        using var browser = await SignInAsync(gw);

        using var ws = await OpenAsync(gw, browser, "/api/sessions/shell/tdp");
        await SendAsync(ws, new ClientUsernameMessage(User));
        await SendAsync(ws, new ClientScreenSpecMessage(800, 600));
        Assert.Equal(new DesktopSizeMessage(800, 600), await ReceiveAsync(ws));
        await SendAsync(ws, new MouseMoveMessage(3, 4));
        Assert.Equal(new NotificationMessage("pointer at 3,4", Severity.Info), await ReceiveAsync(ws));
        Assert.Null(await ReceiveAsync(ws)); // the close frame
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        Assert.Equal(FakeProtocol.EndMessage, ws.CloseStatusDescription);

        var context = Assert.Single(fake.Rendered);
        Assert.Equal("shell", context.Target.Id);
        Assert.Equal(new UnsetTargetSettings("rdp"), context.Target.Settings);
        var start = Assert.Single(await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionStart }));
        Assert.Equal(("rdp", "tdp"), (start.Details!["protocol"]!.GetValue<string>(), start.Details["kind"]!.GetValue<string>()));
        var end = await WaitForAuditAsync(gw, AuditKinds.SessionEnd);
        Assert.Equal(("target-closed", FakeProtocol.EndMessage), (end.Details!["reason"]!.GetValue<string>(), end.Details["message"]!.GetValue<string>()));

        // The observer opened once for the admitted session, saw the TDP both ways (the handshake too), and the end.
        var observer = Assert.Single(observers.Opened);
        Assert.Equal((start.SessionId, SessionKinds.Rendered, "shell"), (observer.Live.Id, observer.Live.Kind, observer.Decision.Target!.Id));
        Assert.Equal([nameof(DesktopSizeMessage), nameof(NotificationMessage)], observer.Sent);
        Assert.Equal([nameof(ClientUsernameMessage), nameof(ClientScreenSpecMessage), nameof(MouseMoveMessage)], observer.Received);
        Assert.Equal((SessionEndReason.TargetClosed, FakeProtocol.EndMessage), observer.Finished);
        Assert.Equal(2, end.Details["observed"]!.GetValue<int>()); // the observer's own end details
        Assert.Equal(0, observer.SurfacesOpened); // the fake protocol has no DesktopSurface
        // Disposal and the broker's removal come after session.end is audited (the host's finally).
        await observer.Disposed.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => gw.Get<SessionBroker>().Sessions.Count == 0);

        // It offers no passthrough: refused through the registry as before, the message naming who does.
        var (status, error) = await UpgradeRefusalAsync(gw, browser, "/api/sessions/shell/rfb");
        Assert.Equal((HttpStatusCode.BadRequest, "Passthrough is offered for VNC targets only."), (status, error));
    }

    [Fact]
    public async Task AVncSessionsObserverSeesTheSurfaceTheTdpBothWaysAndTheEnd()
    {
        var observers = new ObserverFactory();
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await using var gw = await StartAsync(s => s.AddSingleton<ISessionObserverFactory>(observers));
        var labels = new Dictionary<string, string> { ["env"] = "shells" };
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("desk", "Desk", "127.0.0.1", server.Port, "", labels, null, null, new VncTargetSettings(["none"], TlsVerification.System, null), false), null, "test");
        using var browser = await SignInAsync(gw);

        using var ws = await OpenAsync(gw, browser, "/api/sessions/desk/tdp");
        await SendAsync(ws, new ClientUsernameMessage(User));
        await SendAsync(ws, new ClientScreenSpecMessage(800, 600));
        Assert.Equal(new DesktopSizeMessage((uint)server.Width, (uint)server.Height), await ReceiveAsync(ws));
        while (await ReceiveAsync(ws) is not FrameMarkerMessage)
        {
        }
        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var end = await WaitForAuditAsync(gw, AuditKinds.SessionEnd);

        var observer = Assert.Single(observers.Opened);
        Assert.Equal(1, observer.SurfacesOpened);
        Assert.Equal(nameof(DesktopSizeMessage), observer.Sent[0]);
        Assert.Contains(nameof(FrameMarkerMessage), observer.Sent);
        Assert.Equal([nameof(ClientUsernameMessage), nameof(ClientScreenSpecMessage)], observer.Received.Take(2));
        Assert.Equal(SessionEndReason.UserDisconnected, observer.Finished!.Value.Item1);
        Assert.Equal(("vnc", observer.Sent.Count), (end.Details!["protocol"]!.GetValue<string>(), end.Details["observed"]!.GetValue<int>()));
        await observer.Disposed.WaitAsync(TimeSpan.FromSeconds(10)); // after session.end is audited
    }

    [Fact]
    public async Task AnObserverThatRefusesTheSessionStopsItBeforeItStarts_AndTheBrowserIsToldWhy()
    {
        const string Why = "The session recording this role requires could not be started.";
        var fake = new FakeProtocol("rdp", "RDP", SessionKinds.Rendered);
        var observers = new ObserverFactory { Refusal = new SessionFailure(SessionEndReason.InternalError, Why) };
        await using var gw = await StartAsync(s => s.AddSingleton<IProtocolAdapter>(fake).AddSingleton<ISessionObserverFactory>(observers));
        using var browser = await SignInAsync(gw);

        using var ws = await OpenAsync(gw, browser, "/api/sessions/shell/tdp");
        Assert.Equal(new NotificationMessage(Why, Severity.Error), await ReceiveAsync(ws));
        Assert.Null(await ReceiveAsync(ws));
        Assert.Equal((WebSocketCloseStatus.InternalServerError, Why), (ws.CloseStatus, ws.CloseStatusDescription));

        var denied = await WaitForAuditAsync(gw, AuditKinds.SessionDenied);
        Assert.Equal((User, "shell", Why), (denied.Actor, denied.Target, denied.Details!["reason"]!.GetValue<string>()));
        Assert.Empty(await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionStart }));
        Assert.Empty(fake.Rendered);

        // A passthrough session is refused the same way, in its WebSocket close (the viewer speaks RFB, not TDP);
        // the target is never contacted (nothing listens at its address).
        var labels = new Dictionary<string, string> { ["env"] = "shells" };
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("desk", "Desk", "127.0.0.1", 1, "", labels, null, null, new VncTargetSettings(["none"], TlsVerification.System, null), false), null, "test");
        using var viewer = await OpenAsync(gw, browser, "/api/sessions/desk/rfb");
        var buffer = new byte[256];
        var close = await viewer.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal((WebSocketCloseStatus.InternalServerError, Why), (viewer.CloseStatus, viewer.CloseStatusDescription));
        Assert.Equal(2, (await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionDenied })).Count(e => e.Details!["reason"]!.GetValue<string>() == Why));
        Assert.Empty(await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionStart }));

        await WaitUntilAsync(() => gw.Get<SessionBroker>().Sessions.Count == 0);
    }

    /// <summary>Waits (at most 10 s) for what the host does after it audits a session's end: the broker's removal.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25);
        }
        Assert.True(condition(), "the gateway did not finish the session within 10 s of its end");
    }

    private static async Task<TestGateway> StartAsync(Action<IServiceCollection>? services = null)
    {
        var gw = await TestGateway.StartAsync(services: services);
        var labels = new Dictionary<string, string> { ["env"] = "shells" };
        await gw.Get<TargetService>().SaveAsync(
            new TargetRecord("shell", "Shell", "192.0.2.40", 3389, "", labels, null, null, new UnsetTargetSettings("rdp"), false), null, "test");
        await gw.Get<RoleService>().SaveAsync(new RoleRecord("shell-users", "", [], [labels], false, false, true, null, false), "test");
        await gw.Get<UserService>().CreateAsync(User, Password, false, ["shell-users"], false, "test");
        return gw;
    }

    private static async Task<ApiClient> SignInAsync(TestGateway gw)
    {
        var browser = new ApiClient(gw.BaseAddress);
        (await browser.SignInAsync(User, Password)).EnsureSuccessStatusCode();
        return browser;
    }

    private static async Task<ClientWebSocket> OpenAsync(TestGateway gw, ApiClient browser, string path)
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = browser.Cookies;
        await ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None);
        return ws;
    }

    private static async Task<HttpStatusCode> StatusOfSocketAsync(TestGateway gw, ApiClient browser, string path)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = browser.Cookies;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}{path}"), CancellationToken.None));
        return ws.HttpStatusCode;
    }

    /// <summary>A WebSocket upgrade request sent as plain HTTP, so that the body of a refusal (its JSON error) can be read.</summary>
    private static async Task<(HttpStatusCode Status, string? Error)> UpgradeRefusalAsync(TestGateway gw, ApiClient browser, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        request.Headers.Add("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var response = await browser.Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body.GetProperty("error").GetString());
    }

    private static Task SendAsync(ClientWebSocket ws, TdpMessage message) =>
        ws.SendAsync(TdpCodec.Encode(message), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    /// <summary>The next TDP message, or null at the gateway's close frame (answered as a browser does).</summary>
    private static async Task<TdpMessage?> ReceiveAsync(ClientWebSocket ws)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return TdpCodec.Decode(message.ToArray());
            }
        }
    }

    private static async Task<AuditEvent> WaitForAuditAsync(TestGateway gw, string kind)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = kind })).FirstOrDefault() is { } e)
            {
                return e;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"no {kind} audit event");
    }

    /// <summary>Opens a <see cref="Observer"/> per session, or refuses with <see cref="Refusal"/>.</summary>
    private sealed class ObserverFactory : ISessionObserverFactory
    {
        public SessionFailure? Refusal { get; init; }

        public List<Observer> Opened { get; } = [];

        public ValueTask<ISessionObserver?> OpenAsync(LiveSession live, AccessDecision decision, CancellationToken ct)
        {
            if (Refusal is not null)
            {
                throw Refusal;
            }
            var observer = new Observer(live, decision);
            lock (Opened)
            {
                Opened.Add(observer);
            }
            return ValueTask.FromResult<ISessionObserver?>(observer);
        }
    }

    /// <summary>Notes the type of every message each way, and the end.</summary>
    private sealed class Observer(LiveSession live, AccessDecision decision) : ISessionObserver, ITdpSender
    {
        private ITdpSender? _inner;

        public LiveSession Live => live;

        public AccessDecision Decision => decision;

        public List<string> Sent { get; } = [];

        public List<string> Received { get; } = [];

        public (SessionEndReason, string)? Finished { get; private set; }

        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the host disposes the observer: after it audits <c>session.end</c>, so tests wait for it.</summary>
        public Task Disposed => _disposed.Task;

        public int SurfacesOpened { get; private set; }

        public void SurfaceOpened(DesktopSurface surface) => SurfacesOpened++;

        public void DescribeEnd(System.Text.Json.Nodes.JsonObject details) => details["observed"] = Sent.Count;

        public ITdpSender WrapSender(ITdpSender browser)
        {
            _inner = browser;
            return this;
        }

        public void BrowserMessage(TdpMessage message)
        {
            lock (Received)
            {
                Received.Add(message.GetType().Name);
            }
        }

        public ValueTask FinishAsync(SessionEndReason reason, string userMessage)
        {
            Finished = (reason, userMessage);
            return ValueTask.CompletedTask;
        }

        public ValueTask SendAsync(TdpMessage message)
        {
            lock (Sent)
            {
                Sent.Add(message.GetType().Name);
            }
            return _inner!.SendAsync(message);
        }

        public ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload)
        {
            lock (Sent)
            {
                Sent.Add("fragmented");
            }
            return _inner!.SendFragmentedAsync(header, payload);
        }

        public ValueTask DisposeAsync()
        {
            _disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
