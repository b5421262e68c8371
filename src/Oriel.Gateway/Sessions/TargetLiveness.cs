using Oriel.Gateway.Configuration;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Decides whether a VNC target is still there, for a rendered session and (from the viewer's ClientInit on) for
/// the passthrough relay, which does not report mid-message silence (docs/passthrough.md). Sans-IO: the driver
/// reports when it starts waiting for the target and when bytes arrive, and calls <see cref="Step"/> with the
/// session's monotonic time; no clocks, timers or sockets in here, so the rules are tested with plain times.
/// <para>
/// RFB has no ping, and a healthy desktop that shows nothing new is silent for as long as it likes (the
/// client's incremental update request simply waits). So silence alone never ends a session. The rules:
/// </para>
/// <list type="bullet">
/// <item>Before the handshake is done (ServerInit processed), the whole of it, TLS included, must fit in
/// <see cref="SessionTimeouts.TargetHandshake"/> from the TCP connection, whatever trickles in.</item>
/// <item>Stopped in the middle of a message (a FramebufferUpdate with rectangles still to come, or a message
/// cut short), the target may be silent for <see cref="SessionTimeouts.TargetMidMessageSilence"/>: a working
/// server finishes what it has started, so no probe is needed, and the bound is the shorter one.</item>
/// <item>Between messages, after <see cref="SessionTimeouts.TargetSilenceBeforeProbe"/> of silence the driver
/// sends a probe, a non-incremental FramebufferUpdateRequest for 1x1 pixel, which any conforming server must
/// answer ([RFC 6143] 7.5.3); if nothing at all arrives within <see cref="SessionTimeouts.TargetProbeAnswer"/>
/// the target is unresponsive. An idle desktop answers, so it stays up however long it is idle.</item>
/// </list>
/// <para>
/// Silence is counted only while the driver is actually waiting for the target: while it is busy with what it
/// received (for example blocked on a slow browser) the target is not to blame. Not thread-safe: the driver
/// serialises calls.
/// </para>
/// </summary>
public sealed class TargetLiveness
{
    private readonly SessionTimeouts _timeouts;
    private readonly TimeSpan _handshakeDeadline;
    private bool _established;
    private bool _midMessage;
    private TimeSpan? _waitingSince;
    private TimeSpan? _probeSentAt;

    /// <param name="timeouts">The limits.</param>
    /// <param name="connectedAt">When the TCP connection to the target was made (the handshake's clock starts).</param>
    public TargetLiveness(SessionTimeouts timeouts, TimeSpan connectedAt)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        _timeouts = timeouts;
        _handshakeDeadline = connectedAt + timeouts.TargetHandshake;
    }

    /// <summary>The handshake is done; from now on only silence counts.</summary>
    public bool IsEstablished => _established;

    /// <summary>Set with <see cref="TargetLivenessAction.Fail"/>: the sentence for the user.</summary>
    public string? FailureMessage { get; private set; }

    /// <summary>True while a probe has been sent and nothing has arrived since.</summary>
    public bool IsProbing => _probeSentAt is not null;

    /// <summary>The target finished its handshake (the engine reached its normal phase).</summary>
    public void Established() => _established = true;

    /// <summary>
    /// The driver starts a read from the target at <paramref name="now"/>; <paramref name="midMessage"/> says
    /// whether the target's stream stopped inside a message.
    /// </summary>
    public void Waiting(TimeSpan now, bool midMessage)
    {
        _waitingSince = now;
        _midMessage = midMessage;
    }

    /// <summary>Bytes arrived from the target: it is alive, and the driver is busy with them until the next <see cref="Waiting"/>.</summary>
    public void Received()
    {
        _waitingSince = null;
        _probeSentAt = null;
    }

    /// <summary>
    /// The driver could not send the probe <see cref="Step"/> asked for, for a reason that is not the target's (a
    /// relay whose viewer is in the middle of a message, which the probe must not split): no answer is awaited,
    /// and the next <see cref="Step"/> asks again.
    /// </summary>
    public void ProbeDeferred() => _probeSentAt = null;

    /// <summary>
    /// Applies the rules at <paramref name="now"/>. <see cref="TargetLivenessAction.SendProbe"/> is returned once
    /// per silence (the probe counts as sent at <paramref name="now"/>); <see cref="TargetLivenessAction.Fail"/>
    /// sets <see cref="FailureMessage"/>.
    /// </summary>
    public TargetLivenessAction Step(TimeSpan now)
    {
        if (FailureMessage is not null)
        {
            return TargetLivenessAction.Fail;
        }
        if (!_established)
        {
            return now >= _handshakeDeadline
                ? Fail($"The desktop server accepted the connection but did not finish the VNC handshake within {SessionTimeouts.Describe(_timeouts.TargetHandshake)}. It may be overloaded, or not a VNC server.")
                : TargetLivenessAction.None;
        }
        if (_waitingSince is not { } since)
        {
            return TargetLivenessAction.None;
        }
        if (_midMessage)
        {
            return now - since >= _timeouts.TargetMidMessageSilence
                ? Fail($"The desktop server stopped in the middle of a message (no data for {SessionTimeouts.Describe(_timeouts.TargetMidMessageSilence)}). It may have hung, or the network to it may have failed.")
                : TargetLivenessAction.None;
        }
        if (_probeSentAt is { } sent)
        {
            return now - sent >= _timeouts.TargetProbeAnswer
                ? Fail($"The desktop server stopped responding (no data for {SessionTimeouts.Describe(now - since)}, and no answer to a check). It may have hung, or the network to it may have failed.")
                : TargetLivenessAction.None;
        }
        if (now - since >= _timeouts.TargetSilenceBeforeProbe)
        {
            _probeSentAt = now;
            return TargetLivenessAction.SendProbe;
        }
        return TargetLivenessAction.None;
    }

    /// <summary>
    /// The earliest time at which <see cref="Step"/> could decide something new, given what is known at
    /// <paramref name="now"/>. While the driver is busy that is unknown, so it is one shortest bound away; every
    /// later <see cref="Waiting"/> only moves deadlines later, so sleeping until this time misses nothing.
    /// </summary>
    public TimeSpan NextStepAt(TimeSpan now)
    {
        if (!_established)
        {
            return _handshakeDeadline;
        }
        if (_waitingSince is not { } since)
        {
            var shortest = _timeouts.TargetMidMessageSilence < _timeouts.TargetSilenceBeforeProbe ? _timeouts.TargetMidMessageSilence : _timeouts.TargetSilenceBeforeProbe;
            return now + shortest;
        }
        if (_midMessage)
        {
            return since + _timeouts.TargetMidMessageSilence;
        }
        return _probeSentAt is { } sent ? sent + _timeouts.TargetProbeAnswer : since + _timeouts.TargetSilenceBeforeProbe;
    }

    private TargetLivenessAction Fail(string message)
    {
        FailureMessage = message;
        return TargetLivenessAction.Fail;
    }
}
