using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Oriel.Bench.Relay;

/// <summary>One benchmark client: raw TCP straight to the target, or a WebSocket through a relay (binary subprotocol).</summary>
internal sealed class RelayClient : IAsyncDisposable
{
    private static readonly byte[] Handshake = [.. "RFB 003.008\n"u8, 0x01, 0x01];
    private readonly ClientWebSocket? _socket;
    private readonly TcpClient? _tcp;
    private readonly byte[] _buffer = new byte[256 * 1024];

    private RelayClient(ClientWebSocket? socket, TcpClient? tcp)
    {
        _socket = socket;
        _tcp = tcp;
    }

    public static async Task<RelayClient> DirectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
        var c = new RelayClient(null, tcp);
        await c.StartAsync().ConfigureAwait(false);
        return c;
    }

    public static async Task<RelayClient> WebSocketAsync(Uri uri, string? cookie, string? origin)
    {
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("binary");
        if (cookie is not null) ws.Options.SetRequestHeader("Cookie", cookie);
        if (origin is not null) ws.Options.SetRequestHeader("Origin", origin);
        await ws.ConnectAsync(uri, CancellationToken.None).ConfigureAwait(false);
        var c = new RelayClient(ws, null);
        await c.StartAsync().ConfigureAwait(false);
        return c;
    }

    private async Task StartAsync()
    {
        await ReadExactlyAsync(12).ConfigureAwait(false);
        await SendAsync(Handshake).ConfigureAwait(false);
    }

    private async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        if (_socket is not null) await _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
        else await _tcp!.GetStream().WriteAsync(data).ConfigureAwait(false);
    }

    /// <summary>Reads once; 0 at the end of the stream.</summary>
    private async Task<int> ReadAsync()
    {
        if (_tcp is not null) return await _tcp.GetStream().ReadAsync(_buffer).ConfigureAwait(false);
        var r = await _socket!.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
        return r.MessageType == WebSocketMessageType.Close ? 0 : r.Count;
    }

    private async Task ReadExactlyAsync(int count)
    {
        for (var got = 0; got < count;)
        {
            var n = await ReadAsync().ConfigureAwait(false);
            if (n == 0) throw new EndOfStreamException("the relay closed early");
            got += n;
        }
    }

    /// <summary>Receives until the target has sent <paramref name="bytes"/>; returns MB/s (10^6 bytes).</summary>
    public async Task<double> ReceiveAllAsync(long bytes)
    {
        var clock = Stopwatch.StartNew();
        for (var got = 0L; got < bytes;)
        {
            var n = await ReadAsync().ConfigureAwait(false);
            if (n == 0) throw new EndOfStreamException($"the relay closed after {got} of {bytes} bytes");
            got += n;
        }
        return bytes / clock.Elapsed.TotalSeconds / 1e6;
    }

    /// <summary>Round trips of one 8-byte KeyEvent; returns each in microseconds.</summary>
    public async Task<double[]> RoundTripsAsync(int count)
    {
        var message = new byte[] { 4, 1, 0, 0, 0, 0, 0, 0x61 };
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await SendAsync(message).ConfigureAwait(false);
            await ReadExactlyAsync(8).ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        return times;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Gone already.
            }
            _socket.Dispose();
        }
        _tcp?.Dispose();
    }
}
