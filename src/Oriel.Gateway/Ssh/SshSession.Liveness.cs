using Oriel.Gateway.Configuration;
using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Ssh;

public sealed partial class SshSession
{
    /// <summary>The shortest and longest look at a ping in flight (whether it was answered, whether the reader is held back).</summary>
    private static readonly TimeSpan MinimumPingLook = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumPingLook = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The target's liveness (CONTRACTS 7): every <see cref="SessionTimeouts.TargetSilenceBeforeProbe"/> a request that
    /// needs a reply (<see cref="ISshConnection.PingAsync"/>; SSH.NET's own keepalive proves nothing), which must be
    /// answered within <see cref="SessionTimeouts.TargetProbeAnswer"/>. Time while the terminal's output buffer is full
    /// does not count: the gateway itself is then not reading the connection, so no reply could be seen. No answer ends
    /// the session as <see cref="SessionEndReason.TargetUnresponsive"/>; a connection found gone ends it as closed.
    /// </summary>
    private async Task PumpLivenessAsync(CancellationToken ct)
    {
        var connection = _connection!;
        var terminal = _terminal!;
        var deadline = _timeouts.TargetProbeAnswer;
        var look = TimeSpan.FromTicks(Math.Clamp(deadline.Ticks / 10, MinimumPingLook.Ticks, MaximumPingLook.Ticks));
        while (true)
        {
            await Task.Delay(_timeouts.TargetSilenceBeforeProbe, _time, ct).ConfigureAwait(false);
            using var pingCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var ping = connection.PingAsync(pingCts.Token);
            var counted = TimeSpan.Zero;
            while (!ping.IsCompleted)
            {
                var started = _time.GetTimestamp();
                var heldBefore = terminal.IsBackpressured;
                await Task.WhenAny(ping, Task.Delay(look, _time, ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                if (!heldBefore && !terminal.IsBackpressured)
                {
                    counted += _time.GetElapsedTime(started);
                }
                if (!ping.IsCompleted && counted >= deadline)
                {
                    await pingCts.CancelAsync().ConfigureAwait(false);
                    var sentence = $"The SSH server stopped responding: it did not answer a check within {SessionTimeouts.Describe(deadline)}. It may have hung, or the network to it may have failed.";
                    Log.TargetUnresponsive(_log, _live.Id, _target.Id, sentence);
                    throw new SessionFailure(SessionEndReason.TargetUnresponsive, sentence);
                }
            }
            try
            {
                await ping.ConfigureAwait(false);
            }
            catch (SshFailure ex) when (ex.Kind == SshFailureKind.ConnectionLost)
            {
                var sentence = connection.Closed.IsCompleted ? await connection.Closed.ConfigureAwait(false) : ex.Message;
                throw await ConnectionLostAsync(sentence, ct).ConfigureAwait(false);
            }
            catch (SshFailure ex) when (ex.Kind == SshFailureKind.Timeout)
            {
                // The client's own limit on a reply: the same as no answer.
                Log.TargetUnresponsive(_log, _live.Id, _target.Id, ex.Message);
                throw new SessionFailure(SessionEndReason.TargetUnresponsive, ex.Message, ex);
            }
        }
    }
}
