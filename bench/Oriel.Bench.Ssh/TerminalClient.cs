using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Bench.Ssh;

/// <summary>
/// A terminal client of the gateway, as the browser's terminal page is but with no emulator: the rendered WebSocket
/// <c>/api/sessions/{targetId}/tdp</c> with the signed-in cookie, the handshake (client username 7, client screen spec 1,
/// terminal resize 110), then it reads terminal output (108) as fast as it arrives and acknowledges each message at once
/// with terminal ack (111) for its whole length, sends typed text as terminal input (109), and ends on terminal exit (112)
/// or the close. It counts the output bytes and, separately, the NUL bytes among them (the payload of the throughput run
/// is all NULs; the shell's prompt and echo have none), and keeps the last bytes of output to find the prompt.
/// </summary>
internal sealed class TerminalClient : IAsyncDisposable
{
    private const int TailBytes = 512;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _zerosArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _ack = new byte[TerminalAckMessage.FixedSize];
    private readonly byte[] _tail = new byte[TailBytes];
    private readonly List<string> _notes = [];
    private int _tailLength;
    private long _expectedZeros = long.MaxValue;
    private Task? _receiveLoop;

    private TerminalClient()
    {
    }

    /// <summary>Data bytes of every terminal output (108) received.</summary>
    public long OutputBytes => Interlocked.Read(ref _outputBytes);
    private long _outputBytes;

    /// <summary>NUL bytes among <see cref="OutputBytes"/>.</summary>
    public long ZeroBytes => Interlocked.Read(ref _zeroBytes);
    private long _zeroBytes;

    /// <summary>Terminal output (108) messages received.</summary>
    public long OutputMessages { get; private set; }

    /// <summary>The terminal exit (112), once received.</summary>
    public TerminalExitMessage? Exit { get; private set; }

    /// <summary>Completes when the WebSocket has closed (or the receive loop failed).</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Completes with the <see cref="Stopwatch.GetTimestamp"/> at which <see cref="ZeroBytes"/> reached the count given to
    /// <see cref="ExpectZeros"/> (all of the payload has arrived).
    /// </summary>
    public Task<long> ZerosArrived => _zerosArrived.Task;

    /// <summary>Why the receive loop stopped early (a malformed message, a socket error), or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>Opens the WebSocket and sends the handshake: username <paramref name="login"/>, a screen spec, a terminal size.</summary>
    public static async Task<TerminalClient> ConnectAsync(GatewayProcess gateway, string login, CancellationToken cancellationToken)
    {
        var client = new TerminalClient();
        client._socket.Options.SetRequestHeader("Cookie", gateway.Cookie);
        client._socket.Options.SetRequestHeader("Origin", gateway.Origin);
        client._socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await client._socket.ConnectAsync(gateway.TerminalUri, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            var status = (int)client._socket.HttpStatusCode;
            await client.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"the gateway refused the terminal WebSocket (HTTP {status}): {e.Message}", e);
        }
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
        await client.SendAsync(new ClientUsernameMessage(login)).ConfigureAwait(false);
        await client.SendAsync(new ClientScreenSpecMessage(1280, 800)).ConfigureAwait(false);
        await client.SendAsync(new TerminalResizeMessage(120, 40, 1280, 800)).ConfigureAwait(false);
        return client;
    }

    /// <summary>Types <paramref name="text"/> (UTF-8) as one terminal input (109).</summary>
    public Task TypeAsync(string text) => SendAsync(new TerminalInputMessage(Encoding.UTF8.GetBytes(text)));

    /// <summary>Completes <see cref="ZerosArrived"/> once <paramref name="count"/> NUL bytes have been received in all.</summary>
    public void ExpectZeros(long count)
    {
        Interlocked.Exchange(ref _expectedZeros, count);
        if (ZeroBytes >= count) _zerosArrived.TrySetResult(Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Waits until the output ends with a shell prompt (<c>"$ "</c> or <c>"# "</c>, after any colour codes) and nothing more has
    /// arrived for <paramref name="quiet"/>.
    /// </summary>
    public async Task WaitForPromptAsync(TimeSpan timeout, TimeSpan quiet, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var seen = -1L;
        var seenAt = TimeSpan.Zero;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Closed.IsCompleted) throw new InvalidOperationException("the session ended before the prompt: " + Describe());
            var bytes = OutputBytes;
            if (bytes != seen)
            {
                seen = bytes;
                seenAt = clock.Elapsed;
            }
            else if (bytes > 0 && clock.Elapsed - seenAt >= quiet && EndsWithPrompt(Tail()))
            {
                return;
            }
            if (clock.Elapsed > timeout) throw new TimeoutException($"no shell prompt within {timeout.TotalSeconds:0} s: " + Describe());
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The received messages in short, for failure messages (never the output itself beyond the last line).</summary>
    public string Describe()
    {
        string[] notes;
        lock (_notes) notes = [.. _notes];
        var tail = Encoding.UTF8.GetString(Tail()).Replace("\0", "", StringComparison.Ordinal);
        var lastLine = tail[(tail.LastIndexOf('\n') + 1)..].Trim();
        return $"{OutputMessages} output messages, {OutputBytes} bytes ({ZeroBytes} NUL)" +
            (Exit is { } e ? $"; exit {e.Kind} {e.ExitStatus} {e.Signal} \"{e.Message}\"" : "") +
            (notes.Length > 0 ? "; " + string.Join(" | ", notes) : "") +
            (Failure is not null ? "; failure: " + Failure : "") +
            (_socket.CloseStatus is { } s ? $"; closed {s} {_socket.CloseStatusDescription}" : "") +
            (lastLine.Length > 0 ? $"; last output line: \"{lastLine}\"" : "");
    }

    /// <summary>True when <paramref name="tail"/> ends with "$ " or "# ", ignoring CSI sequences (colours) after it.</summary>
    internal static bool EndsWithPrompt(ReadOnlySpan<byte> tail)
    {
        var text = Encoding.UTF8.GetString(tail);
        // Drop trailing CSI sequences such as "\e[00m" that a coloured prompt may end with after the space.
        while (true)
        {
            var esc = text.LastIndexOf('\u001b');
            if (esc < 0 || esc + 1 >= text.Length || text[esc + 1] != '[') break;
            var rest = text.AsSpan(esc + 2);
            var end = rest.IndexOfAnyExcept("0123456789;?");
            if (end < 0 || end != rest.Length - 1) break; // the sequence is not the last thing
            text = text[..esc];
        }
        return text.EndsWith("$ ", StringComparison.Ordinal) || text.EndsWith("# ", StringComparison.Ordinal);
    }

    private byte[] Tail()
    {
        lock (_tail) return _tail.AsSpan(0, _tailLength).ToArray();
    }

    private async Task SendAsync(TdpMessage message)
    {
        var bytes = TdpCodec.Encode(message);
        await _sendLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task AcknowledgeAsync(int bytes)
    {
        TdpCodec.Encode(new TerminalAckMessage((uint)bytes), _ack);
        await _sendLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(_ack, WebSocketMessageType.Binary, true, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[TdpLimits.MaxTerminalOutputBytes + 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                        }
                        return;
                    }
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                await HandleAsync(buffer.AsMemory(0, length)).ConfigureAwait(false);
            }
        }
        catch (DecodeException e)
        {
            Failure = "malformed message from the gateway: " + e.Message;
        }
        catch (WebSocketException e)
        {
            Failure ??= "WebSocket: " + e.Message;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length > 0 && span[0] == (byte)TdpMessageType.TerminalOutput)
        {
            // The hot path, without copying the data: the codec frames it (checks the cap), and the length must fill the message.
            if (!TdpCodec.TryGetMessageLength(span, out var total) || total != span.Length)
            {
                throw new DecodeException("TDP terminal output (108)", 1,
                    $"length {(span.Length >= 5 ? BinaryPrimitives.ReadUInt32BigEndian(span[1..]) : 0)} does not match the message's {span.Length - TerminalOutputMessage.HeaderSize} data bytes");
            }
            var data = span[TerminalOutputMessage.HeaderSize..];
            OutputMessages++;
            var zeros = Interlocked.Add(ref _zeroBytes, data.Count((byte)0));
            Interlocked.Add(ref _outputBytes, data.Length);
            KeepTail(data);
            if (zeros >= Interlocked.Read(ref _expectedZeros)) _zerosArrived.TrySetResult(Stopwatch.GetTimestamp());
            if (data.Length > 0) await AcknowledgeAsync(data.Length).ConfigureAwait(false);
            return;
        }
        switch (TdpCodec.Decode(span))
        {
            case TerminalExitMessage exit:
                Exit = exit;
                break;
            case NotificationMessage n:
                lock (_notes) _notes.Add($"[{n.Severity}] {n.Message}");
                break;
            case ErrorMessage e:
                lock (_notes) _notes.Add("[error] " + e.Message);
                break;
        }
    }

    private void KeepTail(ReadOnlySpan<byte> data)
    {
        lock (_tail)
        {
            if (data.Length >= TailBytes)
            {
                data[^TailBytes..].CopyTo(_tail);
                _tailLength = TailBytes;
                return;
            }
            var keep = Math.Min(_tailLength, TailBytes - data.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + data.Length;
        }
    }

    /// <summary>Closes the WebSocket (the gateway then ends the session) and waits briefly for the close handshake.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _sendLock.WaitAsync().ConfigureAwait(false);
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", CancellationToken.None)
                        .WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
            {
            }
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_receiveLoop is not null)
        {
            try
            {
                await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }
}
