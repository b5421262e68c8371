using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The rules that decide a VNC target is gone (<see cref="TargetLiveness"/>), on a fake clock: the handshake
/// deadline, the probe after silence and the bound on its answer, the shorter bound in the middle of a
/// message, and that neither an idle desktop that answers nor a gateway busy with its own work is blamed.
/// </summary>
public sealed class TargetLivenessTests
{
    private static readonly SessionTimeouts Limits = new()
    {
        TargetHandshake = TimeSpan.FromSeconds(20),
        TargetSilenceBeforeProbe = TimeSpan.FromSeconds(30),
        TargetProbeAnswer = TimeSpan.FromSeconds(15),
        TargetMidMessageSilence = TimeSpan.FromSeconds(10),
    };

    /// <summary>A fake clock read the way the session reads its own: monotonic time since the session started.</summary>
    private sealed class Clock
    {
        private readonly FakeTimeProvider _time = new();
        private readonly long _start;

        public Clock()
        {
            _start = _time.GetTimestamp();
        }

        public TimeSpan Now => _time.GetElapsedTime(_start);

        public void Advance(double seconds) => _time.Advance(TimeSpan.FromSeconds(seconds));
    }

    private static (Clock Clock, TargetLiveness Liveness) Connected()
    {
        var clock = new Clock();
        var liveness = new TargetLiveness(Limits, clock.Now);
        liveness.Waiting(clock.Now, midMessage: false);
        return (clock, liveness);
    }

    private static (Clock Clock, TargetLiveness Liveness) Established()
    {
        var (clock, liveness) = Connected();
        clock.Advance(0.1);
        liveness.Received();
        liveness.Established();
        liveness.Waiting(clock.Now, midMessage: false);
        return (clock, liveness);
    }

    [Fact]
    public void AHandshakeThatNeverFinishesFailsAtItsDeadlineEvenIfBytesTrickleIn()
    {
        var (clock, liveness) = Connected();
        for (var i = 0; i < 19; i++)
        {
            clock.Advance(1);
            Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
            liveness.Received(); // a byte now and then does not buy more time
            liveness.Waiting(clock.Now, midMessage: true);
        }
        Assert.Equal(TimeSpan.FromSeconds(20), liveness.NextStepAt(clock.Now));
        clock.Advance(0.999);
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
        clock.Advance(0.001);
        Assert.Equal(TargetLivenessAction.Fail, liveness.Step(clock.Now));
        Assert.Equal("The desktop server accepted the connection but did not finish the VNC handshake within 20 s. It may be overloaded, or not a VNC server.",
            liveness.FailureMessage);
        Assert.Equal(TargetLivenessAction.Fail, liveness.Step(clock.Now)); // and it stays failed
    }

    [Fact]
    public void AHandshakeThatFinishesInTimeIsNotHeldToTheDeadline()
    {
        var (clock, liveness) = Connected();
        clock.Advance(19);
        liveness.Received();
        liveness.Established();
        liveness.Waiting(clock.Now, midMessage: false);
        clock.Advance(5); // past the handshake deadline, well short of the probe
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
        Assert.True(liveness.IsEstablished);
        Assert.Null(liveness.FailureMessage);
    }

    [Fact]
    public void SilenceBetweenMessagesSendsOneProbeAndAnUnansweredProbeFails()
    {
        var (clock, liveness) = Established();
        var waitingSince = clock.Now;
        Assert.Equal(waitingSince + TimeSpan.FromSeconds(30), liveness.NextStepAt(clock.Now));
        clock.Advance(29.9);
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
        clock.Advance(0.1);
        Assert.Equal(TargetLivenessAction.SendProbe, liveness.Step(clock.Now));
        Assert.True(liveness.IsProbing);
        Assert.Equal(clock.Now + TimeSpan.FromSeconds(15), liveness.NextStepAt(clock.Now));
        clock.Advance(14.9);
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now)); // one probe per silence, not one per step
        clock.Advance(0.1);
        Assert.Equal(TargetLivenessAction.Fail, liveness.Step(clock.Now));
        Assert.Equal("The desktop server stopped responding (no data for 45 s, and no answer to a check). It may have hung, or the network to it may have failed.",
            liveness.FailureMessage);
    }

    [Fact]
    public void AProbeTheDriverHadToDeferRunsNoAnswerClockUntilItIsSent()
    {
        var (clock, liveness) = Established();
        clock.Advance(30);
        Assert.Equal(TargetLivenessAction.SendProbe, liveness.Step(clock.Now));
        // The passthrough viewer is in the middle of a message: the probe cannot go in, and the target is not blamed.
        liveness.ProbeDeferred();
        Assert.False(liveness.IsProbing);
        for (var i = 0; i < 80; i++)
        {
            clock.Advance(0.25);
            Assert.Equal(TargetLivenessAction.SendProbe, liveness.Step(clock.Now)); // asked again at every step
            liveness.ProbeDeferred();
        }
        // The message ended; the probe goes in now, and its answer is due 15 s from now, not from the first ask.
        Assert.Equal(TargetLivenessAction.SendProbe, liveness.Step(clock.Now));
        Assert.True(liveness.IsProbing);
        clock.Advance(14.9);
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
        clock.Advance(0.1);
        Assert.Equal(TargetLivenessAction.Fail, liveness.Step(clock.Now));
        Assert.StartsWith("The desktop server stopped responding (no data for 65 s, and no answer to a check).", liveness.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIdleDesktopThatAnswersItsProbesIsNeverEnded()
    {
        var (clock, liveness) = Established();
        var probes = 0;
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            // Nothing changes on the desktop: the only bytes are the answers to the probes, a second after each.
            clock.Advance(30);
            var action = liveness.Step(clock.Now);
            Assert.NotEqual(TargetLivenessAction.Fail, action);
            if (action == TargetLivenessAction.SendProbe)
            {
                probes++;
                clock.Advance(1);
                Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
                liveness.Received();
                liveness.Waiting(clock.Now, midMessage: false);
            }
        }
        Assert.Equal(24 * 60, probes);
        Assert.Null(liveness.FailureMessage);
    }

    [Fact]
    public void AnswersThatComeJustBeforeTheBoundKeepTheSessionUp()
    {
        var (clock, liveness) = Established();
        clock.Advance(30);
        Assert.Equal(TargetLivenessAction.SendProbe, liveness.Step(clock.Now));
        clock.Advance(14.99);
        liveness.Received();
        liveness.Waiting(clock.Now, midMessage: false);
        Assert.False(liveness.IsProbing);
        clock.Advance(29);
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
    }

    [Fact]
    public void SilenceInTheMiddleOfAMessageHasTheShorterBoundAndNoProbe()
    {
        var (clock, liveness) = Established();
        clock.Advance(1);
        liveness.Received();
        liveness.Waiting(clock.Now, midMessage: true); // a FramebufferUpdate with rectangles still to come
        Assert.Equal(clock.Now + TimeSpan.FromSeconds(10), liveness.NextStepAt(clock.Now));
        clock.Advance(9.9);
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
        clock.Advance(0.1);
        Assert.Equal(TargetLivenessAction.Fail, liveness.Step(clock.Now));
        Assert.False(liveness.IsProbing);
        Assert.Equal("The desktop server stopped in the middle of a message (no data for 10 s). It may have hung, or the network to it may have failed.",
            liveness.FailureMessage);
    }

    [Fact]
    public void DataThatKeepsComingMidMessageIsNotSilence()
    {
        var (clock, liveness) = Established();
        for (var i = 0; i < 100; i++)
        {
            clock.Advance(9);
            Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
            liveness.Received();
            liveness.Waiting(clock.Now, midMessage: true); // a slow link delivering a big rectangle
        }
        Assert.Null(liveness.FailureMessage);
    }

    [Fact]
    public void WhileTheGatewayIsBusyTheTargetIsNotBlamed()
    {
        // Bytes arrived and the session is busy with them (say, blocked on a slow browser): no read is pending,
        // so however long that takes, the target's silence does not count.
        var (clock, liveness) = Established();
        clock.Advance(1);
        liveness.Received();
        clock.Advance(3600);
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
        Assert.Equal(clock.Now + TimeSpan.FromSeconds(10), liveness.NextStepAt(clock.Now)); // the shortest bound: it may be mid-message next
        liveness.Waiting(clock.Now, midMessage: false);
        clock.Advance(29);
        Assert.Equal(TargetLivenessAction.None, liveness.Step(clock.Now));
    }

    [Fact]
    public void LimitsAreWrittenAsAPersonReadsThem()
    {
        Assert.Equal("20 s", SessionTimeouts.Describe(TimeSpan.FromSeconds(20)));
        Assert.Equal("1.5 s", SessionTimeouts.Describe(TimeSpan.FromMilliseconds(1500)));
        Assert.Equal("250 ms", SessionTimeouts.Describe(TimeSpan.FromMilliseconds(250)));
    }
}
