using System.Net.WebSockets;
using System.Text;
using Oriel.Tdp;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>
/// A browser's terminal as the gateway sees it, over the real WebSocket: the TDP handshake, then terminal resize (110)
/// and input (109) out, terminal output (108) kept as bytes and acknowledged (111) as xterm.js does once it has drawn
/// them (or held back, to test the window), and the exit (112), notifications and the close.
/// </summary>
internal sealed class TerminalTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly MemoryStream _output = new();
    private readonly List<TdpMessage> _others = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _unacknowledged;
    private Task? _receiveLoop;

    /// <summary>Acknowledge each output message as it arrives (true), or only when <see cref="AcknowledgeAsync"/> is called.</summary>
    public bool AutoAcknowledge { get; set; } = true;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public bool Closed => _closed.Task.IsCompleted;

    /// <summary>Output data bytes received so far.</summary>
    public long OutputBytes
    {
        get
        {
            lock (_output)
            {
                return _output.Length;
            }
        }
    }

    /// <summary>The output so far as text.</summary>
    public string OutputText
    {
        get
        {
            lock (_output)
            {
                return Encoding.UTF8.GetString(_output.GetBuffer(), 0, (int)_output.Length);
            }
        }
    }

    /// <summary>Every message but terminal output, in order.</summary>
    public IReadOnlyList<TdpMessage> Others
    {
        get
        {
            lock (_others)
            {
                return [.. _others];
            }
        }
    }

    public static async Task<TerminalTestClient> ConnectAsync(Uri gateway, string targetId, string cookie)
    {
        var client = new TerminalTestClient();
        client._socket.Options.SetRequestHeader("Cookie", cookie);
        client._socket.Options.SetRequestHeader("Origin", gateway.GetLeftPart(UriPartial.Authority));
        await client._socket.ConnectAsync(new Uri($"ws://{gateway.Authority}/api/sessions/{targetId}/tdp"), CancellationToken.None);
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>The handshake (username, screen spec), then the terminal's size right away, as the web client does.</summary>
    public async Task StartAsync(ushort columns, ushort rows)
    {
        await SendAsync(new ClientUsernameMessage("tester"));
        await SendAsync(new ClientScreenSpecMessage(1000, 700));
        await SendAsync(new TerminalResizeMessage(columns, rows, 1000, 700));
    }

    public Task TypeAsync(string text) => SendAsync(new TerminalInputMessage(Encoding.UTF8.GetBytes(text)));

    public async Task SendAsync(TdpMessage message)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(TdpCodec.Encode(message), WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Acknowledges everything received and not yet acknowledged.</summary>
    public async Task AcknowledgeAsync()
    {
        var bytes = Interlocked.Exchange(ref _unacknowledged, 0);
        if (bytes > 0)
        {
            await SendAsync(new TerminalAckMessage((uint)bytes));
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/> after <paramref name="from"/> characters; returns where it ends.</summary>
    public async Task<int> WaitForOutputAsync(string text, int from = 0, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var output = OutputText;
            var at = output.IndexOf(text, Math.Min(from, output.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                return at + text.Length;
            }
            if (Closed || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no \"{Printable(text)}\" in the output ({(Closed ? $"closed: {CloseStatus} {CloseDescription}" : "timed out")}): \"{Printable(output)}\"; other messages: {string.Join(", ", Others)}");
            }
            await Task.Delay(25);
        }
    }

    public Task WaitForCloseAsync(int timeoutSeconds = 30) => _closed.Task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));

    private static string Printable(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\x1b", "\\e", StringComparison.Ordinal);

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[128 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _sendLock.WaitAsync();
                            try
                            {
                                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                            }
                            finally
                            {
                                _sendLock.Release();
                            }
                        }
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var decoded = TdpCodec.Decode(message.ToArray());
                if (decoded is TerminalOutputMessage output)
                {
                    lock (_output)
                    {
                        _output.Write(output.Data);
                    }
                    Interlocked.Add(ref _unacknowledged, output.Data.Length);
                    if (AutoAcknowledge)
                    {
                        await AcknowledgeAsync();
                    }
                }
                else
                {
                    lock (_others)
                    {
                        _others.Add(decoded);
                    }
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _sendLock.WaitAsync();
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
                }
                finally
                {
                    _sendLock.Release();
                }
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
            {
            }
        }
        _socket.Abort();
        if (_receiveLoop is not null)
        {
            await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        _socket.Dispose();
        _sendLock.Dispose();
        _output.Dispose();
    }
}
