using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Connection;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// An authenticated SSH.NET connection: opens terminals on it, proves the server alive with a global request that
/// needs a reply, and reports when it ends. SSH.NET reads the connection on one thread of its own; every event here
/// (replies, errors, channel data) arrives on that thread.
/// </summary>
internal sealed class SshNetConnection : ISshConnection
{
    /// <summary>The global request used as a ping: unknown to servers, so OpenSSH answers REQUEST_FAILURE, which is enough.</summary>
    internal const string PingRequestName = "keepalive@openssh.com";

    private readonly SshClient _client;
    private readonly Session _session;
    private readonly SshNetChannelBridge _bridge;
    private readonly string _endpoint;
    private readonly int _outputBufferBytes;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Lock _pingSend = new();
    private readonly Queue<TaskCompletionSource> _pings = new();
    private readonly HashSet<SshNetTerminal> _terminals = [];
    private int _disposed;

    public SshNetConnection(SshClient client, Session session, SshNetChannelBridge bridge, SshConnectionInfo info, string endpoint,
        int outputBufferBytes, ILogger logger)
    {
        _client = client;
        _session = session;
        _bridge = bridge;
        Info = info;
        _endpoint = endpoint;
        _outputBufferBytes = outputBufferBytes;
        _logger = logger;
        session.RequestSuccessReceived += OnRequestSuccess;
        session.RequestFailureReceived += OnRequestFailure;
        session.ErrorOccured += OnError;
        session.Disconnected += OnDisconnected;
        if (!session.IsConnected) Lose("The SSH server closed the connection.");
    }

    public SshConnectionInfo Info { get; }

    public Task<string> Closed => _closed.Task;

    public async Task<ISshTerminal> OpenTerminalAsync(SshPtyRequest pty, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pty);
        ThrowIfClosed();
        var channel = _bridge.CreateChannelSession(_session);
        var terminal = new SshNetTerminal(this, channel, _bridge, _endpoint, _outputBufferBytes, _logger);
        lock (_gate) _terminals.Add(terminal);
        try
        {
            // Opening and the two requests wait for replies on SSH.NET's blocking calls: not on the caller's thread.
            await Task.Run(() =>
            {
                _bridge.Open(channel);
                if (!_bridge.SendPseudoTerminalRequest(channel, pty.TerminalType, Clamp(pty.Columns), Clamp(pty.Rows), Clamp(pty.WidthPx), Clamp(pty.HeightPx), Modes(pty)))
                {
                    throw new SshFailure(SshFailureKind.ChannelRefused, $"The SSH server at {_endpoint} refused to allocate a terminal.");
                }
                if (!_bridge.SendShellRequest(channel))
                {
                    throw new SshFailure(SshFailureKind.ChannelRefused, $"The SSH server at {_endpoint} refused to start a shell.");
                }
            }, ct).WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await terminal.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && ct.IsCancellationRequested) throw;
            if (e is SshException && e.Message.Contains("open a channel", StringComparison.Ordinal))
            {
                throw new SshFailure(SshFailureKind.ChannelRefused, $"The SSH server at {_endpoint} refused to open a session channel.", e);
            }
            throw SshNetFailures.Established(e, _endpoint);
        }
        SshNetLog.TerminalOpened(_logger, _endpoint, pty.TerminalType, pty.Columns, pty.Rows);
        return terminal;
    }

    public async Task PingAsync(CancellationToken ct)
    {
        ThrowIfClosed();
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var send = Task.Run(() =>
        {
            // One sender at a time, so that the queue's order is the order the requests went out: replies come in that
            // order. The queue's own lock is not held while sending (the reader thread takes it for each reply).
            lock (_pingSend)
            {
                lock (_gate) _pings.Enqueue(reply);
                _bridge.SendGlobalRequest(_session, PingRequestName, wantReply: true);
            }
        }, CancellationToken.None);
        try
        {
            await send.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = SshNetFailures.Established(e, _endpoint);
            Lose(failure.Message);
            throw failure;
        }
        await reply.Task.WaitAsync(ct).ConfigureAwait(false);
        SshNetLog.PingAnswered(_logger, _endpoint);
    }

    /// <summary>Called by a terminal when it is disposed.</summary>
    internal void Forget(SshNetTerminal terminal)
    {
        lock (_gate) _terminals.Remove(terminal);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        SshNetTerminal[] terminals;
        lock (_gate) terminals = [.. _terminals];
        // Release any terminal that holds SSH.NET's reader first: disconnecting waits for that reader to finish.
        foreach (var terminal in terminals) terminal.Release(null);
        foreach (var terminal in terminals) await terminal.DisposeAsync().ConfigureAwait(false);
        Lose("The SSH connection was closed by the gateway.");
        _session.RequestSuccessReceived -= OnRequestSuccess;
        _session.RequestFailureReceived -= OnRequestFailure;
        _session.ErrorOccured -= OnError;
        _session.Disconnected -= OnDisconnected;
        await SshNetConnector.DisposeQuietlyAsync(_client).ConfigureAwait(false);
    }

    private void OnRequestSuccess(object? sender, MessageEventArgs<RequestSuccessMessage> e) => AnswerPing();

    private void OnRequestFailure(object? sender, MessageEventArgs<RequestFailureMessage> e) => AnswerPing();

    private void AnswerPing()
    {
        TaskCompletionSource? ping;
        lock (_gate) _pings.TryDequeue(out ping);
        ping?.TrySetResult();
    }

    private void OnError(object? sender, ExceptionEventArgs e) => Lose(SshNetFailures.Lost(e.Exception, _endpoint));

    private void OnDisconnected(object? sender, EventArgs e) => Lose($"The SSH connection to {_endpoint} was closed.");

    /// <summary>Marks the connection ended (first reason wins), fails pending pings and tells the terminals.</summary>
    private void Lose(string reason)
    {
        if (!_closed.TrySetResult(reason)) return;
        SshNetLog.Closed(_logger, _endpoint, reason);
        TaskCompletionSource[] pings;
        SshNetTerminal[] terminals;
        lock (_gate)
        {
            pings = [.. _pings];
            _pings.Clear();
            terminals = [.. _terminals];
        }
        var failure = new SshFailure(SshFailureKind.ConnectionLost, reason);
        foreach (var ping in pings) ping.TrySetException(failure);
        foreach (var terminal in terminals) terminal.Release(failure);
    }

    private void ThrowIfClosed()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_closed.Task.IsCompleted) throw new SshFailure(SshFailureKind.ConnectionLost, _closed.Task.Result);
    }

    private static uint Clamp(int value) => value <= 0 ? 0u : (uint)value;

    /// <summary>The pty's terminal modes (RFC 4254 8): the request's, or Oriel's defaults.</summary>
    private static Dictionary<TerminalModes, uint> Modes(SshPtyRequest pty)
    {
        var modes = new Dictionary<TerminalModes, uint>();
        if (pty.Modes is { } given)
        {
            foreach (var (opcode, value) in given)
            {
                // 0 ends the list on the wire and 160-255 are undefined: never sent.
                if (opcode is > 0 and < 160) modes[(TerminalModes)opcode] = value;
            }
            return modes;
        }
        modes[TerminalModes.IUTF8] = 1;
        modes[TerminalModes.VERASE] = 127;
        modes[TerminalModes.ECHO] = 1;
        modes[TerminalModes.ISIG] = 1;
        modes[TerminalModes.ICANON] = 1;
        modes[TerminalModes.TTY_OP_ISPEED] = 38400;
        modes[TerminalModes.TTY_OP_OSPEED] = 38400;
        return modes;
    }
}
