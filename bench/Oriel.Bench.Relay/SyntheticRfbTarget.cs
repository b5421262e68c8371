using System.Net;
using System.Net.Sockets;

namespace Oriel.Bench.Relay;

/// <summary>
/// A synthetic VNC-like target on loopback. It sends "RFB 003.008\n" and reads the client's version, the
/// security choice and ClientInit (5 + 12 + 2 bytes as the benchmark client sends them), then by mode:
/// <b>push</b> streams <c>bytes</c> of pseudo-framebuffer data and closes; <b>echo</b> answers every 8-byte
/// message (a KeyEvent) with the same 8 bytes. RFB-shaped so that Oriel's client-stream filter follows it.
/// </summary>
internal sealed class SyntheticRfbTarget : IAsyncDisposable
{
    public const int HandshakeFromClient = 12 + 1 + 1;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly bool _push;
    private readonly long _pushBytes;

    public SyntheticRfbTarget(bool push, long pushBytes)
    {
        _push = push;
        _pushBytes = pushBytes;
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            try
            {
                await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
                var hello = new byte[HandshakeFromClient];
                await stream.ReadExactlyAsync(hello, _stop.Token).ConfigureAwait(false);
                if (_push)
                {
                    var chunk = new byte[64 * 1024];
                    new Random(7).NextBytes(chunk);
                    for (var sent = 0L; sent < _pushBytes; sent += chunk.Length)
                    {
                        var n = (int)Math.Min(chunk.Length, _pushBytes - sent);
                        await stream.WriteAsync(chunk.AsMemory(0, n), _stop.Token).ConfigureAwait(false);
                    }
                    client.Client.Shutdown(SocketShutdown.Send);
                    await stream.ReadAsync(new byte[16], _stop.Token).ConfigureAwait(false);
                }
                else
                {
                    var message = new byte[8];
                    while (true)
                    {
                        await stream.ReadExactlyAsync(message, _stop.Token).ConfigureAwait(false);
                        await stream.WriteAsync(message, _stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or SocketException)
            {
                // The client left.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accept.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Stopped.
        }
        _stop.Dispose();
    }
}
