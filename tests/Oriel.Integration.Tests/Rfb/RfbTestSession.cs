using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Oriel.Rfb;
using Oriel.Testing;

namespace Oriel.Integration.Tests.Rfb;

/// <summary>
/// A test-local driver for <see cref="RfbClient"/>: TCP, then TLS when the engine asks for it
/// (the server certificate pinned by SHA-256), the handshake pumped on the test's thread, then a
/// background reader feeding chunks through a channel. Only the test's thread touches the engine.
/// </summary>
internal sealed class RfbTestSession : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Channel<byte[]?> _chunks = Channel.CreateUnbounded<byte[]?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<RfbEvent> _events = new();
    private Stream _stream;
    private Task? _reader;

    private RfbTestSession(TcpClient tcp, RfbClient client, RecordingSink sink)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Client = client;
        Sink = sink;
    }

    public RfbClient Client { get; }
    public RecordingSink Sink { get; }

    /// <summary>Every event seen so far, in order.</summary>
    public List<RfbEvent> History { get; } = [];

    /// <summary>True once the server closed the connection.</summary>
    public bool ServerClosed { get; private set; }

    /// <summary>Connects and runs the handshake until <see cref="RfbConnected"/>.</summary>
    /// <param name="pinnedSha256">The only server certificate (SHA-256) accepted if the engine asks for TLS.</param>
    public static async Task<RfbTestSession> ConnectAsync(int port, RfbClientOptions options, byte[]? pinnedSha256 = null, TimeSpan? timeout = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        var sink = new RecordingSink();
        var session = new RfbTestSession(tcp, new RfbClient(options, sink), sink);
        try
        {
            await session.HandshakeAsync(pinnedSha256, timeout ?? TimeSpan.FromSeconds(20));
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync(byte[]? pinnedSha256, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await _stream.ReadAsync(buffer, cts.Token);
            if (n == 0) throw new IOException("the server closed the connection during the handshake");
            Client.Receive(buffer.AsSpan(0, n));
            await FlushAsync();
            while (Client.TryDequeueEvent(out var ev))
            {
                History.Add(ev);
                switch (ev)
                {
                    case RfbTlsRequired:
                        await StartTlsAsync(pinnedSha256, cts.Token);
                        Client.TlsEstablished();
                        await FlushAsync();
                        break;
                    case RfbConnected:
                        _events.Enqueue(ev);
                        _reader = ReadLoopAsync();
                        return;
                    default:
                        _events.Enqueue(ev);
                        break;
                }
            }
        }
    }

    private async Task StartTlsAsync(byte[]? pinnedSha256, CancellationToken token)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                pinnedSha256 is not null && certificate is not null &&
                System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData()).AsSpan().SequenceEqual(pinnedSha256),
        }, token);
        _stream = ssl;
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await _stream.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                await _chunks.Writer.WriteAsync(buffer[..n], _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        _chunks.Writer.TryWrite(null);
    }

    /// <summary>Sends whatever the engine has queued.</summary>
    public async Task FlushAsync()
    {
        if (!Client.HasOutput) return;
        var w = new ArrayBufferWriter<byte>();
        Client.TakeOutput(w);
        await _stream.WriteAsync(w.WrittenMemory);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// Feeds received bytes to the engine until an event matching <paramref name="match"/> arrives;
    /// returns it, or null when <paramref name="timeout"/> passes or the server closes first.
    /// Engine exceptions (DecodeException, RfbSecurityException) propagate.
    /// </summary>
    public async Task<RfbEvent?> WaitForEventAsync(Func<RfbEvent, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            while (_events.TryDequeue(out var queued))
            {
                if (match(queued)) return queued;
            }
            if (ServerClosed) return null;
            byte[]? chunk;
            try
            {
                chunk = await _chunks.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            if (chunk is null)
            {
                ServerClosed = true;
                continue;
            }
            Client.Receive(chunk);
            await FlushAsync();
            while (Client.TryDequeueEvent(out var ev))
            {
                History.Add(ev);
                _events.Enqueue(ev);
            }
        }
    }

    /// <summary>
    /// Asks for incremental updates until none arrives for <paramref name="quiet"/> (Xvnc answers an
    /// incremental request only when something changed). Returns the number of updates applied.
    /// </summary>
    public async Task<int> SettleAsync(TimeSpan quiet, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var updates = 0;
        while (clock.Elapsed < timeout)
        {
            var ev = await WaitForEventAsync(e => e is RfbUpdateCompleted, quiet);
            if (ev is null) return updates;
            updates++;
            Client.RequestUpdate(incremental: true);
            await FlushAsync();
        }
        throw new TimeoutException($"the screen did not settle within {timeout.TotalSeconds:0.#} s ({updates} updates)");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        await _stream.DisposeAsync();
        if (_reader is not null) await _reader;
        _stop.Dispose();
    }
}
