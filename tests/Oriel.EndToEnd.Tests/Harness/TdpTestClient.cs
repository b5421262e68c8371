using System.Net.WebSockets;
using Oriel.Tdp;

namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>
/// A TDP client speaking to the real gateway over a real WebSocket, as the browser does: it
/// sends the username and screen spec, acknowledges frame markers, and keeps what it received.
/// </summary>
internal sealed class TdpTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly List<TdpMessage> _received = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiveLoop;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int FramesAcknowledged { get; private set; }
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseDescription => _socket.CloseStatusDescription;
    public bool AutoAcknowledge { get; set; } = true;

    public IReadOnlyList<TdpMessage> Received
    {
        get
        {
            lock (_received) return _received.ToArray();
        }
    }

    public static Uri SessionUri(Uri gateway, string targetId) =>
        new(new Uri(gateway.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), $"/api/sessions/{targetId}/tdp");

    /// <summary>Opens the WebSocket. Throws WebSocketException when the gateway refuses the upgrade.</summary>
    public static async Task<TdpTestClient> ConnectAsync(Uri gateway, string targetId, string? cookie, string? origin = null)
    {
        var client = new TdpTestClient();
        if (cookie is not null) client._socket.Options.SetRequestHeader("Cookie", cookie);
        client._socket.Options.SetRequestHeader("Origin", origin ?? gateway.GetLeftPart(UriPartial.Authority));
        client._socket.Options.CollectHttpResponseDetails = true;
        await client._socket.ConnectAsync(SessionUri(gateway, targetId), CancellationToken.None);
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>The HTTP status of a refused upgrade.</summary>
    public static async Task<int> RefusedStatusAsync(Uri gateway, string targetId, string? cookie, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", origin ?? gateway.GetLeftPart(UriPartial.Authority));
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(SessionUri(gateway, targetId), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return 101;
    }

    public async Task StartAsync(string username = "e2e", uint width = 1024, uint height = 768)
    {
        await SendAsync(new ClientUsernameMessage(username));
        await SendAsync(new ClientScreenSpecMessage(width, height));
    }

    public async Task SendAsync(TdpMessage message)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(TdpCodec.Encode(message), WebSocketMessageType.Binary, true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends raw bytes as one WebSocket message (for malformed-input tests).</summary>
    public Task SendRawAsync(byte[] bytes) => _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, _stop.Token);

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        // Answer the close as a browser does (unless we started the closing handshake).
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        }
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var decoded = TdpCodec.Decode(message.ToArray());
                lock (_received) _received.Add(decoded);
                if (decoded is FrameMarkerMessage marker && AutoAcknowledge)
                {
                    await SendAsync(new FrameAckMessage(marker.FrameId));
                    FramesAcknowledged++;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, int timeoutSeconds = 20) where T : TdpMessage
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var match = Received.OfType<T>().FirstOrDefault(m => predicate is null || predicate(m));
            if (match is not null) return match;
            if (_closed.Task.IsCompleted)
            {
                match = Received.OfType<T>().FirstOrDefault(m => predicate is null || predicate(m));
                if (match is not null) return match;
                throw new InvalidOperationException($"the session closed ({CloseStatus} {CloseDescription}) before a {typeof(T).Name} arrived; received: {Describe()}");
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"no {typeof(T).Name} within {timeoutSeconds}s; received: {Describe()}");
    }

    public async Task WaitForFramesAsync(int count, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (FramesAcknowledged < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{FramesAcknowledged} of {count} frames within {timeoutSeconds}s; received: {Describe()}");
            if (_closed.Task.IsCompleted) throw new InvalidOperationException($"closed ({CloseStatus} {CloseDescription}) after {FramesAcknowledged} frames: {Describe()}");
            await Task.Delay(25);
        }
    }

    public Task WaitForCloseAsync(int timeoutSeconds = 20) => _closed.Task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));

    public string Describe()
    {
        var items = Received;
        var counts = items.GroupBy(m => m.Type).Select(g => $"{g.Key}x{g.Count()}");
        var notes = items.OfType<NotificationMessage>().Select(n => $"[{n.Severity}] {n.Message}");
        return string.Join(", ", counts) + (notes.Any() ? "; " + string.Join(" | ", notes) : "");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                // Close output only: CloseAsync would read incoming frames itself, racing the receive
                // loop (two readers split a fragmented message). The loop reads on until the server's close.
                await _sendLock.WaitAsync();
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
                }
                finally
                {
                    _sendLock.Release();
                }
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
            {
            }
        }
        await _stop.CancelAsync();
        if (_receiveLoop is not null) await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5));
        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }
}
