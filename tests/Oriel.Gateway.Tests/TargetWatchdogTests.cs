using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The watchdog loop the rendered driver and the passthrough relay share (<see cref="TargetWatchdog"/>), on a fake
/// clock: it asks for the probe when the rules do, asks again while the caller says the probe is still waiting, and
/// ends the session with the rules' sentence when nothing answers; a target that answers is left alone.
/// </summary>
public sealed class TargetWatchdogTests
{
    private static readonly SessionTimeouts Limits = new()
    {
        TargetSilenceBeforeProbe = TimeSpan.FromSeconds(30),
        TargetProbeAnswer = TimeSpan.FromSeconds(15),
    };

    [Fact]
    public async Task ASilentTargetIsProbedOnce_ThenEndsTheSessionAsUnresponsive()
    {
        var w = new Watched();
        var probes = new List<bool>();
        string? logged = null;
        var loop = TargetWatchdog.RunAsync(w.Liveness, w.Now, w.Time, (due, _) =>
        {
            lock (probes) probes.Add(due);
            return Task.FromResult<TimeSpan?>(null);
        }, m => logged = m, CancellationToken.None);

        await w.AdvanceAsync(29);
        Assert.Empty(probes);
        await w.AdvanceAsync(2);
        await Until(() => probes.Count == 1);
        Assert.False(loop.IsCompleted);

        await w.AdvanceAsync(16);
        var failure = await Assert.ThrowsAsync<SessionFailure>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SessionEndReason.TargetUnresponsive, failure.Reason);
        Assert.Equal(w.Liveness.FailureMessage, failure.UserMessage);
        Assert.Equal(failure.UserMessage, logged);
        Assert.Equal([true], probes);
    }

    [Fact]
    public async Task AProbeThatMustWaitIsAskedForAgain_AndATargetThatAnswersStaysUp()
    {
        var w = new Watched();
        var probes = new List<bool>();
        using var stop = new CancellationTokenSource();
        var loop = TargetWatchdog.RunAsync(w.Liveness, w.Now, w.Time, (due, _) =>
        {
            lock (probes)
            {
                probes.Add(due);
                // Twice "not yet" (a viewer in the middle of a message), then written.
                return Task.FromResult<TimeSpan?>(probes.Count < 3 ? TimeSpan.FromMilliseconds(250) : null);
            }
        }, _ => { }, stop.Token);

        await w.AdvanceAsync(31);
        await Until(() => probes.Count >= 1);
        // A quarter second at a time (well before the answer's deadline at 45 s) until the probe has been written.
        for (var i = 0; i < 40 && probes.Count < 3; i++)
        {
            await w.AdvanceAsync(0.25);
        }
        Assert.Equal([true, false, false], probes);

        lock (w.Liveness)
        {
            w.Liveness.Received(); // the answer
            w.Liveness.Waiting(w.Now(), midMessage: false);
        }
        await w.AdvanceAsync(20);
        Assert.False(loop.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, probes.Count);
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    /// <summary>A target past its handshake and silent from time zero, on a fake clock.</summary>
    private sealed class Watched
    {
        private readonly FakeTimeProvider _time = new();
        private readonly long _start;

        public Watched()
        {
            _start = _time.GetTimestamp();
            Liveness = new TargetLiveness(Limits, TimeSpan.Zero);
            Liveness.Established();
            Liveness.Waiting(TimeSpan.Zero, midMessage: false);
        }

        public TargetLiveness Liveness { get; }

        public TimeProvider Time => _time;

        public TimeSpan Now() => _time.GetElapsedTime(_start);

        /// <summary>Moves the clock a second (or less) at a time, with a moment of real time for the loop to react.</summary>
        public async Task AdvanceAsync(double seconds)
        {
            await Task.Delay(20);
            while (seconds > 0)
            {
                var step = Math.Min(seconds, 1);
                _time.Advance(TimeSpan.FromSeconds(step));
                seconds -= step;
                await Task.Delay(20);
            }
        }
    }
}
