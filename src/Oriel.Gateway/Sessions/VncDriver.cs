using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Targets;
using Oriel.Graphics;
using Oriel.Rfb;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The VNC driver: the I/O around the sans-IO RFB engine. It owns the target's socket (TCP, then TLS when
/// VeNCrypt asks for it), reads it and feeds the engine, hands the engine's events to the
/// <see cref="VncAdapter"/>, writes what the engine queues, and watches that the target stays responsive
/// (<see cref="TargetLiveness"/>). Every engine call runs under the session's gate, the same gate the adapter's
/// callers hold, so the browser sees things in the order they happened.
/// </summary>
public sealed class VncDriver : IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;

    private readonly LiveSession _live;
    private readonly ResolvedTarget _target;
    private readonly SessionTimeouts _timeouts;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate;
    private readonly long _started;
    private readonly ArrayBufferWriter<byte> _engineOutput = new(4096);
    private TcpClient? _tcp;
    private Stream? _stream;
    private TargetLiveness _liveness = null!;
    private VncAdapter _adapter = null!;
    private RfbClient _engine = null!;

    /// <param name="gate">The session's gate: held around every engine call and every send to the browser.</param>
    public VncDriver(LiveSession live, ResolvedTarget target, SessionTimeouts timeouts, TimeProvider time, ILogger log, SemaphoreSlim gate)
    {
        _live = live;
        _target = target;
        _timeouts = timeouts;
        _time = time;
        _log = log;
        _gate = gate;
        _started = time.GetTimestamp();
    }

    /// <summary>Monotonic time since the driver was made, the clock of <see cref="TargetLiveness"/>.</summary>
    private TimeSpan Now => _time.GetElapsedTime(_started);

    /// <summary>Opens the TCP connection to the target (<see cref="TargetConnector"/>) and starts watching it.</summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        _tcp = await TargetConnector.ConnectAsync(_target, _timeouts, _time, _log, _live.Id, ct).ConfigureAwait(false);
        _stream = _tcp.GetStream();
        _liveness = new TargetLiveness(_timeouts, Now);
    }

    /// <summary>The adapter whose engine this driver feeds and whose events it hands on; set once, before the pumps run.</summary>
    public void Attach(VncAdapter adapter)
    {
        _adapter = adapter;
        _engine = adapter.Engine;
    }

    /// <summary>
    /// Reads the target until it ends or fails: each read goes to the engine under the gate, then its events
    /// to the adapter and its output to the target. Throws <see cref="SessionFailure"/> with the reason.
    /// </summary>
    public async Task PumpTargetAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        var midMessage = false;
        try
        {
            while (true)
            {
                int n;
                lock (_liveness)
                {
                    _liveness.Waiting(Now, midMessage);
                }
                try
                {
                    n = await _stream!.ReadAsync(buffer.AsMemory(0, ReadBufferSize), ct).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw new SessionFailure(SessionEndReason.TargetClosed, "The connection to the desktop server was lost.", ex);
                }
                lock (_liveness)
                {
                    _liveness.Received();
                }
                if (n == 0)
                {
                    if (_engine.Phase == RfbPhase.Normal && _engine.IsMidMessage)
                    {
                        throw new SessionFailure(SessionEndReason.TargetProtocolError,
                            "Protocol error: the desktop server closed the connection in the middle of a message (truncated stream).");
                    }
                    throw new SessionFailure(SessionEndReason.TargetClosed,
                        _engine.Phase == RfbPhase.Normal ? "The desktop server ended the session." : "The desktop server closed the connection during the handshake.");
                }
                _live.AddFromTarget(n);
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    try
                    {
                        _engine.Receive(buffer.AsSpan(0, n));
                    }
                    catch (DecodeException ex)
                    {
                        VncSession.Log.TargetProtocolError(_log, _live.Id, _target.Id, ex.Message);
                        throw new SessionFailure(SessionEndReason.TargetProtocolError,
                            $"Protocol error: the desktop server sent data Oriel could not accept ({ex.Message}).", ex);
                    }
                    catch (RfbSecurityException ex)
                    {
                        throw new SessionFailure(SessionEndReason.AuthenticationFailed, VncSession.DescribeSecurityFailure(ex), ex);
                    }
                    if (_engine.Phase == RfbPhase.Normal)
                    {
                        lock (_liveness)
                        {
                            _liveness.Established();
                        }
                    }
                    await HandleEngineEventsAsync(ct).ConfigureAwait(false);
                    await FlushAsync(ct).ConfigureAwait(false);
                    midMessage = _engine.IsMidMessage;
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The target's watchdog (<see cref="TargetWatchdog"/>): the probe <see cref="TargetLiveness"/> asks for is a 1x1
    /// non-incremental FramebufferUpdateRequest, sent under the gate like every engine call; an unresponsive target
    /// ends the session with the rules' sentence. The target loop is then cancelled by the session.
    /// </summary>
    public Task PumpLivenessAsync(CancellationToken ct) =>
        TargetWatchdog.RunAsync(_liveness, () => Now, _time, SendProbeAsync,
            message => VncSession.Log.TargetUnresponsive(_log, _live.Id, _target.Id, message), ct);

    private async Task<TimeSpan?> SendProbeAsync(bool due, CancellationToken ct)
    {
        if (!due)
        {
            return null;
        }
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_engine.Phase == RfbPhase.Normal)
            {
                _engine.RequestUpdate(incremental: false, new Rect(0, 0, 1, 1));
                await FlushAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
        VncSession.Log.TargetProbed(_log, _live.Id, _target.Id, _timeouts.TargetSilenceBeforeProbe.TotalSeconds);
        return null;
    }

    /// <summary>Writes what the engine has queued (input, update requests, handshake replies) to the target; under the gate.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (!_engine.HasOutput) return;
        _engine.TakeOutput(_engineOutput);
        var bytes = _engineOutput.WrittenMemory;
        try
        {
            await _stream!.WriteAsync(bytes, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new SessionFailure(SessionEndReason.TargetClosed, "The connection to the desktop server was lost.", ex);
        }
        _live.AddToTarget(bytes.Length);
        _engineOutput.ResetWrittenCount();
    }

    /// <summary>The engine's events in order: TLS is the driver's own business, everything else the adapter's.</summary>
    private async Task HandleEngineEventsAsync(CancellationToken ct)
    {
        while (_engine.TryDequeueEvent(out var ev))
        {
            if (ev is RfbTlsRequired tls)
            {
                await FlushAsync(ct).ConfigureAwait(false);
                await StartTlsAsync(tls, ct).ConfigureAwait(false);
                _engine.TlsEstablished();
            }
            else
            {
                await _adapter.HandleEngineEventAsync(ev).ConfigureAwait(false);
            }
        }
    }

    /// <summary>VeNCrypt asked for TLS: <see cref="TargetTls"/> runs the handshake and checks the certificate.</summary>
    private async Task StartTlsAsync(RfbTlsRequired request, CancellationToken ct)
    {
        _stream = await TargetTls.AuthenticateAsync(_stream!, _target, request.Subtype, _timeouts, _time, _log, _live.Id, ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        _tcp?.Dispose();
    }
}
