using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Oriel.TestPeers;

/// <summary>
/// A deliberately small RFB 3.8 server ([RFC 6143]) that misbehaves on cue, for testing how a
/// client engine copes with hostile servers. Each connection gets a valid handshake (security
/// type None, ServerInit with a 32 bpp little-endian 0x00RRGGBB format), then the
/// <see cref="Misbehavior"/> script. Client messages are parsed only for their length (and
/// SetPixelFormat, so the well-behaved red is sent in the client's format).
/// </summary>
public sealed class ScriptedVncServer : IAsyncDisposable
{
    /// <summary>The unassigned server message type <see cref="Misbehavior.UnknownMessageType"/> sends.</summary>
    public const byte UnknownType = 77;

    private const uint MaxClientCutText = 16 * 1024 * 1024;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<TcpClient> _clients = [];
    private readonly Task _acceptLoop;
    private readonly TaskCompletionSource _clientClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _connectionCount;
    private int _closedByClient;

    private ScriptedVncServer(Misbehavior script, int width, int height, string name)
    {
        Script = script;
        Width = width;
        Height = height;
        Name = name;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public Misbehavior Script { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>The desktop name sent in ServerInit.</summary>
    public string Name { get; }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>The entries of the last SetEncodings (7.5.2) any connection received, or null before one.</summary>
    public IReadOnlyList<int>? LastEncodings => Volatile.Read(ref _lastEncodings);

    private IReadOnlyList<int>? _lastEncodings;

    /// <summary>Connections the client closed (end of stream or reset) before the server did.</summary>
    public int ClosedByClientCount => Volatile.Read(ref _closedByClient);

    /// <summary>The pixel value 0x00RRGGBB of the <see cref="Misbehavior.WellBehaved"/> update.</summary>
    public static uint Red => 0x00FF0000;

    /// <summary>Starts listening on 127.0.0.1 at a free port.</summary>
    public static ScriptedVncServer Start(Misbehavior script, int width = 64, int height = 48, string name = "scripted")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 4096);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 4096);
        return new ScriptedVncServer(script, width, height, name);
    }

    /// <summary>Completes when a client closes its connection before the server does.</summary>
    public Task WaitForClientCloseAsync(TimeSpan timeout) => _clientClosed.Task.WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Task[] connections;
        lock (_clients)
        {
            foreach (var c in _clients) c.Dispose();
            connections = [.. _connections];
        }
        await Task.WhenAll([_acceptLoop, .. connections]).ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connectionCount);
            lock (_clients)
            {
                _clients.Add(client);
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var token = _stop.Token;
        try
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            var connection = new Connection(stream, token, list => Volatile.Write(ref _lastEncodings, list));
            var closedByClient = await RunScriptAsync(connection).ConfigureAwait(false);
            if (closedByClient)
            {
                Interlocked.Increment(ref _closedByClient);
                _clientClosed.TrySetResult();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (!token.IsCancellationRequested && e is IOException or SocketException)
            {
                Interlocked.Increment(ref _closedByClient);
                _clientClosed.TrySetResult();
            }
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Returns true when the client closed the connection, false when the script closed it.</summary>
    private async Task<bool> RunScriptAsync(Connection c)
    {
        if (Script == Misbehavior.SilentAfterAccept) return await c.DrainAsync().ConfigureAwait(false);
        // ProtocolVersion (7.1.1), Security (7.1.2): one type, None; SecurityResult OK (7.1.3).
        await c.WriteAsync("RFB 003.008\n"u8.ToArray()).ConfigureAwait(false);
        if (!await c.ReadExactlyAsync(12).ConfigureAwait(false)) return true;
        await c.WriteAsync(new byte[] { 1, 1 }).ConfigureAwait(false);
        if (!await c.ReadExactlyAsync(1).ConfigureAwait(false)) return true;
        await c.WriteAsync(new byte[] { 0, 0, 0, 0 }).ConfigureAwait(false);
        // ClientInit (7.3.1): shared-flag.
        if (!await c.ReadExactlyAsync(1).ConfigureAwait(false)) return true;
        await c.WriteAsync(ServerInit()).ConfigureAwait(false);
        if (Script == Misbehavior.HugeNameLength) return await c.DrainAsync().ConfigureAwait(false);

        var updates = 0;
        while (true)
        {
            var request = await c.ReadClientMessageAsync().ConfigureAwait(false);
            if (request is null) return true;
            if (request != ClientMessage.UpdateRequest && request != ClientMessage.IncrementalUpdateRequest) continue;
            updates++;
            switch (Script)
            {
                case Misbehavior.WellBehaved:
                    if (updates == 1 || request == ClientMessage.UpdateRequest)
                    {
                        var pixels = FullScreenRaw(c.PixelFormat, out var header);
                        await c.WriteAsync(header).ConfigureAwait(false);
                        await c.WriteAsync(pixels).ConfigureAwait(false);
                    }
                    break;
                case Misbehavior.HugeCutTextLength when updates == 1:
                    // ServerCutText (7.6.4): type 3, padding 3, length u32, text.
                    await c.WriteAsync(new byte[] { 3, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, (byte)'a', (byte)'b', (byte)'c' }).ConfigureAwait(false);
                    break;
                case Misbehavior.RectangleOutsideFramebuffer when updates == 1:
                {
                    var bpp = c.PixelFormat.BitsPerPixel / 8;
                    var update = new byte[4 + 12 + 16 * 16 * bpp];
                    WriteUpdateHeader(update, Width - 8, Height - 8, 16, 16);
                    await c.WriteAsync(update).ConfigureAwait(false);
                    break;
                }
                case Misbehavior.TruncatedThenClose when updates == 1:
                {
                    var pixels = FullScreenRaw(c.PixelFormat, out var header);
                    await c.WriteAsync(header).ConfigureAwait(false);
                    await c.WriteAsync(pixels.AsMemory(0, pixels.Length / 2)).ConfigureAwait(false);
                    return false;
                }
                case Misbehavior.StallsMidRectangle when updates == 1:
                {
                    var pixels = FullScreenRaw(c.PixelFormat, out var header);
                    await c.WriteAsync(header).ConfigureAwait(false);
                    await c.WriteAsync(pixels.AsMemory(0, pixels.Length / 2)).ConfigureAwait(false);
                    break;
                }
                case Misbehavior.StopsAnswering when updates == 1:
                {
                    var pixels = FullScreenRaw(c.PixelFormat, out var header);
                    await c.WriteAsync(header).ConfigureAwait(false);
                    await c.WriteAsync(pixels).ConfigureAwait(false);
                    break;
                }
                case Misbehavior.UnknownMessageType when updates == 1:
                    await c.WriteAsync(new byte[] { UnknownType, 1, 2, 3, 4, 5, 6, 7 }).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>ServerInit (7.3.2): width, height, PIXEL_FORMAT (32 bpp, depth 24, little-endian, true colour, 0x00RRGGBB), name.</summary>
    private byte[] ServerInit()
    {
        var name = Encoding.UTF8.GetBytes(Name);
        var huge = Script == Misbehavior.HugeNameLength;
        var b = new byte[24 + (huge ? 16 : name.Length)];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)Width);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)Height);
        ScriptedPixelFormat.Default.Write(b.AsSpan(4, 16));
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(20), huge ? 0x7FFFFFFFu : (uint)name.Length);
        if (huge) b.AsSpan(24).Fill((byte)'A');
        else name.CopyTo(b.AsSpan(24));
        return b;
    }

    /// <summary>FramebufferUpdate (7.6.1) with one Raw rectangle covering the screen, filled with <see cref="Red"/>.</summary>
    private byte[] FullScreenRaw(ScriptedPixelFormat format, out byte[] header)
    {
        header = new byte[16];
        WriteUpdateHeader(header, 0, 0, Width, Height);
        var bpp = format.BitsPerPixel / 8;
        var pixel = new byte[bpp];
        format.Encode(Red, pixel);
        var pixels = new byte[Width * Height * bpp];
        for (var i = 0; i < pixels.Length; i += bpp) pixel.CopyTo(pixels, i);
        return pixels;
    }

    /// <summary>FramebufferUpdate header (type 0, padding, one rectangle) and one Raw rectangle header.</summary>
    private static void WriteUpdateHeader(Span<byte> b, int x, int y, int w, int h)
    {
        b[0] = 0;
        b[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(b[2..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(b[4..], (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(b[6..], (ushort)y);
        BinaryPrimitives.WriteUInt16BigEndian(b[8..], (ushort)w);
        BinaryPrimitives.WriteUInt16BigEndian(b[10..], (ushort)h);
        BinaryPrimitives.WriteInt32BigEndian(b[12..], 0);
    }

    private enum ClientMessage
    {
        Other,
        UpdateRequest,
        IncrementalUpdateRequest,
    }

    /// <summary>One connection's stream, with the client's pixel format.</summary>
    private sealed class Connection(NetworkStream stream, CancellationToken token, Action<IReadOnlyList<int>> encodingsReceived)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];

        public ScriptedPixelFormat PixelFormat { get; private set; } = ScriptedPixelFormat.Default;

        public async Task WriteAsync(ReadOnlyMemory<byte> bytes) =>
            await stream.WriteAsync(bytes, token).ConfigureAwait(false);

        /// <summary>Reads <paramref name="count"/> bytes into the buffer; false at end of stream.</summary>
        public async Task<bool> ReadExactlyAsync(int count)
        {
            try
            {
                await stream.ReadExactlyAsync(_buffer.AsMemory(0, count), token).ConfigureAwait(false);
                return true;
            }
            catch (EndOfStreamException)
            {
                return false;
            }
        }

        private async Task<bool> SkipAsync(long count)
        {
            while (count > 0)
            {
                var n = (int)Math.Min(count, _buffer.Length);
                if (!await ReadExactlyAsync(n).ConfigureAwait(false)) return false;
                count -= n;
            }
            return true;
        }

        /// <summary>Reads until the client closes; returns true.</summary>
        public async Task<bool> DrainAsync()
        {
            while (await stream.ReadAsync(_buffer, token).ConfigureAwait(false) > 0)
            {
            }
            return true;
        }

        /// <summary>Reads one client message (RFC 6143 7.5 and common extensions); null at end of stream or on a message it does not know.</summary>
        public async Task<ClientMessage?> ReadClientMessageAsync()
        {
            if (!await ReadExactlyAsync(1).ConfigureAwait(false)) return null;
            switch (_buffer[0])
            {
                case 0: // SetPixelFormat: padding 3, PIXEL_FORMAT 16.
                    if (!await ReadExactlyAsync(19).ConfigureAwait(false)) return null;
                    PixelFormat = ScriptedPixelFormat.Read(_buffer.AsSpan(3, 16));
                    return ClientMessage.Other;
                case 2: // SetEncodings: padding 1, count u16, count × s32 (kept for LastEncodings when it fits the buffer).
                {
                    if (!await ReadExactlyAsync(3).ConfigureAwait(false)) return null;
                    var n = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(1));
                    if (4 * n > _buffer.Length) return await SkipAsync(4L * n).ConfigureAwait(false) ? ClientMessage.Other : null;
                    if (!await ReadExactlyAsync(4 * n).ConfigureAwait(false)) return null;
                    var list = new int[n];
                    for (var i = 0; i < n; i++) list[i] = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(4 * i));
                    encodingsReceived(list);
                    return ClientMessage.Other;
                }
                case 3: // FramebufferUpdateRequest: incremental u8, x, y, w, h.
                    if (!await ReadExactlyAsync(9).ConfigureAwait(false)) return null;
                    return _buffer[0] != 0 ? ClientMessage.IncrementalUpdateRequest : ClientMessage.UpdateRequest;
                case 4: // KeyEvent.
                    return await SkipAsync(7).ConfigureAwait(false) ? ClientMessage.Other : null;
                case 5: // PointerEvent.
                    return await SkipAsync(5).ConfigureAwait(false) ? ClientMessage.Other : null;
                case 6: // ClientCutText: padding 3, length s32 (negative: extended clipboard), text.
                {
                    if (!await ReadExactlyAsync(7).ConfigureAwait(false)) return null;
                    var length = Math.Abs((long)BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(3)));
                    if (length > MaxClientCutText) return null;
                    return await SkipAsync(length).ConfigureAwait(false) ? ClientMessage.Other : null;
                }
                case 150: // EnableContinuousUpdates: flag, x, y, w, h.
                    return await SkipAsync(9).ConfigureAwait(false) ? ClientMessage.Other : null;
                case 248: // ClientFence: padding 3, flags u32, length u8, payload.
                    if (!await ReadExactlyAsync(8).ConfigureAwait(false)) return null;
                    return await SkipAsync(_buffer[7]).ConfigureAwait(false) ? ClientMessage.Other : null;
                case 251: // SetDesktopSize: padding 1, w, h, screens u8, padding 1, screens × 16.
                    if (!await ReadExactlyAsync(7).ConfigureAwait(false)) return null;
                    return await SkipAsync(16L * _buffer[5]).ConfigureAwait(false) ? ClientMessage.Other : null;
                default:
                    return null;
            }
        }
    }
}
