namespace Oriel.Gateway.Sessions;

/// <summary>
/// The target's watchdog loop, shared by the rendered session's driver (<see cref="VncDriver"/>) and the passthrough
/// relay (<see cref="PassthroughRelay"/>): it applies <see cref="TargetLiveness"/> at the times the rules name, has the
/// caller send the probe they ask for, and ends the session with the rules' sentence
/// (<see cref="SessionEndReason.TargetUnresponsive"/>) when the target is unresponsive. How a probe is sent is the
/// caller's: the driver asks its engine under the session gate; the relay writes into the viewer's stream at a message
/// boundary, and may have to try again (its probe returns when).
/// </summary>
internal static class TargetWatchdog
{
    /// <summary>The shortest sleep between two looks at the rules.</summary>
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(10);

    /// <summary>Runs until <paramref name="ct"/> is cancelled (the session ends otherwise) or the target is unresponsive.</summary>
    /// <param name="liveness">The rules, fed by the caller's target pump; locked around every call, as the pump does.</param>
    /// <param name="now">The session's monotonic time, the clock of <paramref name="liveness"/>.</param>
    /// <param name="time">Sleeps run on this clock.</param>
    /// <param name="probe">
    /// Sends the probe: called with true when the rules ask for one, and with false on the next rounds while the previous
    /// call returned a time; returns null when nothing more is to be done, or how soon to try again.
    /// </param>
    /// <param name="unresponsive">Logs the rules' sentence before the session ends.</param>
    /// <param name="ct">Stops the loop.</param>
    /// <exception cref="SessionFailure">The target is unresponsive.</exception>
    public static async Task RunAsync(TargetLiveness liveness, Func<TimeSpan> now, TimeProvider time, Func<bool, CancellationToken, Task<TimeSpan?>> probe,
        Action<string> unresponsive, CancellationToken ct)
    {
        var retrying = false;
        while (true)
        {
            TargetLivenessAction action;
            TimeSpan next;
            lock (liveness)
            {
                var at = now();
                action = liveness.Step(at);
                next = liveness.NextStepAt(at);
            }
            if (action == TargetLivenessAction.Fail)
            {
                var message = liveness.FailureMessage!;
                unresponsive(message);
                throw new SessionFailure(SessionEndReason.TargetUnresponsive, message);
            }
            if (action == TargetLivenessAction.SendProbe || retrying)
            {
                var retry = await probe(action == TargetLivenessAction.SendProbe, ct).ConfigureAwait(false);
                retrying = retry is not null;
                if (retry is { } r && now() + r < next)
                {
                    next = now() + r;
                }
            }
            var wait = next - now();
            await Task.Delay(wait > MinimumWait ? wait : MinimumWait, time, ct).ConfigureAwait(false);
        }
    }
}
