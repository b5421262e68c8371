using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Watching the target once the relay runs, with the rendered sessions' rules (<see cref="TargetLiveness"/>):
/// ServerInit must come within <see cref="SessionTimeouts.TargetHandshake"/> of the viewer's ClientInit; after
/// that, silence from the target is counted only while the target pump waits for it, and after
/// <see cref="SessionTimeouts.TargetSilenceBeforeProbe"/> the gateway writes a probe into the viewer's stream
/// to the target, a 1x1 non-incremental FramebufferUpdateRequest, which the server must answer ([RFC 6143]
/// 7.5.3); with no byte from the target within <see cref="SessionTimeouts.TargetProbeAnswer"/> of the probe
/// falling due, the session ends as <see cref="SessionEndReason.TargetUnresponsive"/>.
/// <para>
/// The probe is only ever written at a client-message boundary (<see cref="RfbClientStreamFilter.IsAtMessageBoundary"/>),
/// under the same lock as the viewer's own bytes, so it never lands inside a message the viewer is sending; when
/// the viewer is in the middle of one, the probe waits for its end (tried again every <see cref="ProbeRetry"/>),
/// and that wait is not counted against the target (<see cref="TargetLiveness.ProbeDeferred"/>). The viewer receives the answer as an
/// ordinary FramebufferUpdate it did not ask for, which RFB allows and noVNC handles like any other (it then
/// asks for its next incremental update). The probe is recorded as client data: the recording's client stream
/// stays exactly what the server received.
/// </para>
/// <para>
/// Mid-message silence is not told apart here: the relay does not decode the target's stream (only replay
/// does, <c>RfbStreamObserver</c>, which would double the work of every passthrough session), so it cannot
/// know whether the target stopped between messages or inside one. A target stopped inside a message gets the
/// probe like an idle one, and ends after <see cref="SessionTimeouts.TargetSilenceBeforeProbe"/> plus
/// <see cref="SessionTimeouts.TargetProbeAnswer"/> instead of <see cref="SessionTimeouts.TargetMidMessageSilence"/>.
/// </para>
/// </summary>
public sealed partial class PassthroughRelay
{
    /// <summary>How often a probe that fell due while the viewer was in the middle of a message is tried again.</summary>
    private static readonly TimeSpan ProbeRetry = TimeSpan.FromMilliseconds(250);

    private static readonly byte[] Probe = EncodeProbe();

    private readonly SemaphoreSlim _targetWrite = new(1, 1);
    private readonly long _started;
    private TargetLiveness? _liveness;
    private volatile bool _probeDue;

    /// <summary>ServerInit's head seen so far, then the name's bytes still to come.</summary>
    private readonly byte[] _serverInitHead = new byte[ServerInitHeadLength];
    private int _serverInitHeadSeen;
    private long _serverInitNameLeft;

    /// <summary>ServerInit up to the name: width, height, pixel format (16), name length ([RFC 6143] 7.3.2).</summary>
    private const int ServerInitHeadLength = 24;

    private TimeSpan Now => _time.GetElapsedTime(_started);

    private static byte[] EncodeProbe()
    {
        var probe = new FramebufferUpdateRequestMessage(Incremental: false, 0, 0, 1, 1);
        var bytes = new byte[FramebufferUpdateRequestMessage.Length];
        var w = new SpanWriter(bytes);
        probe.Encode(ref w);
        return bytes;
    }

    /// <summary>The viewer's ClientInit went to the target: ServerInit is due within the handshake limit.</summary>
    private void StartWatchingTarget() => _liveness = new TargetLiveness(_timeouts, Now);

    /// <summary>Target bytes of the relayed stream: they count as life, and complete ServerInit.</summary>
    private void TargetBytesArrived(ReadOnlySpan<byte> data)
    {
        var liveness = _liveness!;
        lock (liveness)
        {
            liveness.Received();
            _probeDue = false; // the target answered something: it is there
            if (liveness.IsEstablished)
            {
                return;
            }
            if (_serverInitHeadSeen < ServerInitHeadLength)
            {
                var n = Math.Min(ServerInitHeadLength - _serverInitHeadSeen, data.Length);
                data[..n].CopyTo(_serverInitHead.AsSpan(_serverInitHeadSeen));
                data = data[n..];
                _serverInitHeadSeen += n;
                if (_serverInitHeadSeen < ServerInitHeadLength)
                {
                    return;
                }
                _serverInitNameLeft = BinaryPrimitives.ReadUInt32BigEndian(_serverInitHead.AsSpan(20));
            }
            _serverInitNameLeft -= Math.Min(_serverInitNameLeft, data.Length);
            if (_serverInitNameLeft == 0)
            {
                liveness.Established();
            }
        }
    }

    /// <summary>The target pump is about to wait for the target.</summary>
    private void WaitingForTarget()
    {
        var liveness = _liveness!;
        lock (liveness)
        {
            liveness.Waiting(Now, midMessage: false);
        }
    }

    /// <summary>
    /// The target's watchdog (<see cref="TargetWatchdog"/>): a probe the rules ask for is marked due and written at the
    /// next client-message boundary (<see cref="SendProbeAsync"/>); an unresponsive target ends the session with the
    /// rules' sentence.
    /// </summary>
    private Task PumpLivenessAsync(CancellationToken ct) =>
        TargetWatchdog.RunAsync(_liveness!, () => Now, _time, SendProbeAsync,
            message => Log.TargetUnresponsive(_log, _live.Id, _target.Id, message), ct);

    /// <summary>
    /// Marks a probe due when the rules ask for one, and writes a due probe unless the viewer is in the middle of a
    /// message; returns <see cref="ProbeRetry"/> while it is still due (tried again then), null once written or answered.
    /// </summary>
    private async Task<TimeSpan?> SendProbeAsync(bool due, CancellationToken ct)
    {
        if (due)
        {
            _probeDue = true;
        }
        if (!_probeDue)
        {
            return null;
        }
        // A write of the viewer's bytes in progress does not stop the answer's clock (a target that does not
        // read them is not answering either); a viewer in the middle of a message does: the probe waits for
        // the message's end, and the target is not blamed for the wait.
        if (await _targetWrite.WaitAsync(TimeSpan.Zero, ct).ConfigureAwait(false))
        {
            try
            {
                if (!await WriteDueProbeAsync(ct).ConfigureAwait(false))
                {
                    var liveness = _liveness!;
                    lock (liveness)
                    {
                        liveness.ProbeDeferred();
                    }
                }
            }
            finally
            {
                _targetWrite.Release();
            }
        }
        return _probeDue ? ProbeRetry : null;
    }

    /// <summary>
    /// With <see cref="_targetWrite"/> held: writes a due probe if the viewer's stream is between messages. False when
    /// a probe is due but the viewer is in the middle of a message.
    /// </summary>
    private async Task<bool> WriteDueProbeAsync(CancellationToken ct)
    {
        if (!_probeDue)
        {
            return true;
        }
        lock (_filter)
        {
            if (!_filter.IsAtMessageBoundary)
            {
                return false;
            }
            _recorder?.ClientData(Probe);
        }
        _probeDue = false;
        await WriteToTargetAsync(Probe, ct).ConfigureAwait(false);
        Log.TargetProbed(_log, _live.Id, _target.Id, _timeouts.TargetSilenceBeforeProbe.TotalSeconds);
        return true;
    }
}
