using System.Buffers;
using Microsoft.Extensions.Logging;
using Renci.SshNet.Messages.Connection;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// A shell on a pseudo-terminal over SSH.NET's session channel (<see cref="SshNetChannelBridge"/>), with bounded output.
/// </summary>
/// <remarks>
/// <para>
/// Flow control: SSH.NET raises the channel's data on its single receive thread, after it has already re-opened the
/// SSH window (it keeps a 2 GiB window, so the SSH window never holds the server back). The handler copies the data into
/// one ring buffer of <see cref="OutputBufferBytes"/> and, while that buffer is full, blocks: the receive thread stops
/// reading the socket, the kernel's receive buffer fills, TCP closes its window and sshd's writes stop. No other copy
/// of the output exists: <see cref="ReadAsync"/> copies straight out of the ring. While blocked, nothing else on the
/// connection is read either (replies to pings, other channels), which <see cref="IsBackpressured"/> tells the caller.
/// Disposing the terminal or its connection releases a blocked handler first, so shutting down never waits on it.
/// </para>
/// <para>
/// Input: <see cref="WriteAsync"/> sends on a pool thread, one write at a time. SSH.NET waits there while the server's
/// window for our input is closed, and while a key re-exchange is under way; both are resolved by messages the receive
/// thread must read. If the receive thread is held back by a full output buffer and the reader never drains it, the
/// wait ends after SSH.NET's operation timeout (<see cref="SshNetConnector.OperationTimeout"/>) with
/// <see cref="SshFailure"/> (<see cref="SshFailureKind.Timeout"/>): a write can be slow, never hang for ever. Reading
/// output is what unblocks it, and reads never wait for writes.
/// </para>
/// </remarks>
internal sealed class SshNetTerminal : ISshTerminal
{
    /// <summary>256 KiB: as much as the browser's output window, so one full window can be sent while more waits here.</summary>
    public const int DefaultOutputBufferBytes = 256 * 1024;

    private readonly SshNetConnection _connection;
    private readonly object _channel;
    private readonly SshNetChannelBridge _bridge;
    private readonly string _endpoint;
    private readonly ILogger _logger;
    private readonly Action _unsubscribe;
    private readonly object _gate = new();
    private readonly byte[] _ring;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private int _head;
    private int _count;
    private bool _channelClosed;
    private bool _released;
    private SshFailure? _lost;
    private TaskCompletionSource? _dataWaiter;
    private volatile bool _backpressured;
    private SshExit? _exit;
    private int _disposed;
    private long _highWater;
    private long _received;

    public SshNetTerminal(SshNetConnection connection, object channel, SshNetChannelBridge bridge, string endpoint, int outputBufferBytes, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputBufferBytes, 1024);
        _connection = connection;
        _channel = channel;
        _bridge = bridge;
        _endpoint = endpoint;
        _logger = logger;
        _ring = new byte[outputBufferBytes];
        _unsubscribe = bridge.Subscribe(channel, OnData, OnData, OnRequest, OnClosed, OnChannelError);
    }

    /// <summary>The bound on output held here.</summary>
    public int OutputBufferBytes => _ring.Length;

    public bool IsBackpressured => _backpressured;

    public SshExit? Exit => Volatile.Read(ref _exit);

    /// <summary>The most output bytes ever held at once (never above <see cref="OutputBufferBytes"/>; for tests).</summary>
    internal long HighWaterBytes => Interlocked.Read(ref _highWater);

    /// <summary>The output bytes held now, waiting for a read (for tests).</summary>
    internal int BufferedBytes
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>All output bytes taken from the channel so far.</summary>
    internal long ReceivedBytes => Interlocked.Read(ref _received);

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (destination.IsEmpty) throw new ArgumentException("The destination is empty.", nameof(destination));
        while (true)
        {
            Task waiter;
            lock (_gate)
            {
                if (_count > 0)
                {
                    var n = Math.Min(destination.Length, _count);
                    var first = Math.Min(n, _ring.Length - _head);
                    _ring.AsSpan(_head, first).CopyTo(destination.Span);
                    if (n > first) _ring.AsSpan(0, n - first).CopyTo(destination.Span[first..]);
                    _head = (_head + n) % _ring.Length;
                    _count -= n;
                    Monitor.PulseAll(_gate); // a handler waiting for room
                    return n;
                }
                if (_channelClosed || _released) return 0; // a clean end, even if the connection went afterwards
                if (_lost is not null) throw _lost;
                _dataWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiter = _dataWaiter.Task;
            }
            await waiter.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct)
    {
        if (input.IsEmpty) return;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(input.Length);
        try
        {
            lock (_gate)
            {
                if (_lost is not null) throw _lost;
            }
            input.CopyTo(buffer);
            var length = input.Length;
            await Task.Run(() => _bridge.SendData(_channel, buffer, 0, length), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SshFailure and not OperationCanceledException)
        {
            var failure = SshNetFailures.Established(e, _endpoint);
            SshNetLog.WriteFailed(_logger, _endpoint, failure.Message);
            throw failure;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _writeGate.Release();
        }
    }

    public void Resize(int columns, int rows, int widthPx, int heightPx)
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        try
        {
            _bridge.SendWindowChangeRequest(_channel, (uint)Math.Max(1, columns), (uint)Math.Max(1, rows), (uint)Math.Max(0, widthPx), (uint)Math.Max(0, heightPx));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The connection is going; the reader sees why.
            SshNetLog.ChannelError(_logger, _endpoint, SshNetFailures.Established(e, _endpoint).Message);
        }
    }

    public void Signal(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Volatile.Read(ref _disposed) != 0) return;
        var bare = name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name;
        try
        {
            _bridge.SendSignalRequest(_channel, bare);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SshNetLog.ChannelError(_logger, _endpoint, SshNetFailures.Established(e, _endpoint).Message);
        }
    }

    /// <summary>
    /// Stops holding SSH.NET's reader and ends reading: with a failure (the connection was lost; reads throw it once
    /// the buffered output is drained) or without (disposal; reads return 0).
    /// </summary>
    internal void Release(SshFailure? failure)
    {
        lock (_gate)
        {
            if (failure is not null) _lost ??= failure;
            else _released = true;
            WakeReader();
            Monitor.PulseAll(_gate);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Release(null);
        _unsubscribe();
        _connection.Forget(this);
        // Closing sends EOF and CLOSE and waits (briefly) for the server's CLOSE: not on the caller's thread.
        try
        {
            await Task.Run(() => ((IDisposable)_channel).Dispose()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SshNetLog.ChannelError(_logger, _endpoint, SshNetFailures.Established(e, _endpoint).Message);
        }
        _writeGate.Dispose();
    }

    /// <summary>Channel data or extended data (stderr), on SSH.NET's receive thread: copy in, blocking while full.</summary>
    private void OnData(ArraySegment<byte> data)
    {
        var source = data.AsSpan();
        lock (_gate)
        {
            while (!source.IsEmpty)
            {
                if (_released || _lost is not null) return; // nobody reads any more: drop, and let the thread go
                if (_count == _ring.Length)
                {
                    if (!_backpressured)
                    {
                        _backpressured = true;
                        SshNetLog.Backpressure(_logger, _endpoint);
                    }
                    Monitor.Wait(_gate);
                    continue;
                }
                var tail = (_head + _count) % _ring.Length;
                var room = Math.Min(_ring.Length - _count, _ring.Length - tail);
                var n = Math.Min(room, source.Length);
                source[..n].CopyTo(_ring.AsSpan(tail, n));
                source = source[n..];
                _count += n;
                _received += n;
                if (_count > _highWater) _highWater = _count;
                WakeReader();
            }
            // Held from the first wait until the packet in hand is all taken (a little longer than the waits themselves,
            // which the liveness check wants: time near a hold is not counted against the server).
            _backpressured = false;
        }
    }

    private void OnRequest(RequestInfo info)
    {
        var exit = _bridge.ExitOf(info);
        if (exit is null) return;
        Volatile.Write(ref _exit, exit);
        SshNetLog.TerminalEnded(_logger, _endpoint, exit.Describe());
    }

    private void OnClosed()
    {
        lock (_gate)
        {
            _channelClosed = true;
            WakeReader();
        }
    }

    private void OnChannelError(Exception e) => SshNetLog.ChannelError(_logger, _endpoint, SshNetFailures.Established(e, _endpoint).Message);

    /// <summary>Completes the reader's wait; under <see cref="_gate"/>.</summary>
    private void WakeReader()
    {
        _dataWaiter?.TrySetResult();
        _dataWaiter = null;
    }
}
