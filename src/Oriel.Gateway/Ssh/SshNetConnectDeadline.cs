namespace Oriel.Gateway.Ssh;

/// <summary>
/// The connect timeout (TCP + key exchange + authentication) on the gateway's clock, paused while the user is asked a
/// prompt, so the user's typing time does not count (<see cref="SshConnectRequest.ConnectTimeout"/>).
/// </summary>
internal sealed class SshNetConnectDeadline : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly TaskCompletionSource _expired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private TimeSpan _remaining;
    private long _startedAt;
    private int _paused;
    private bool _disposed;

    public SshNetConnectDeadline(TimeProvider time, TimeSpan timeout)
    {
        _time = time;
        _remaining = timeout;
        _startedAt = time.GetTimestamp();
        _timer = time.CreateTimer(_ => _expired.TrySetResult(), null, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Completes when the time is up.</summary>
    public Task Expired => _expired.Task;

    /// <summary>Stops the clock (nested calls count).</summary>
    public void Pause()
    {
        lock (_gate)
        {
            if (_paused++ > 0 || _disposed) return;
            _remaining -= _time.GetElapsedTime(_startedAt);
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Starts the clock again with the time that was left.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            if (--_paused > 0 || _disposed) return;
            _startedAt = _time.GetTimestamp();
            if (_remaining <= TimeSpan.Zero) _expired.TrySetResult();
            else _timer.Change(_remaining, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the timer; a prompt still running on a library thread may call Pause/Resume afterwards, harmlessly.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }
}
