namespace Oriel.Gateway.Sessions;

/// <summary>
/// A token cancelled when an outer token is, or when a time limit runs out on the gateway's
/// <see cref="TimeProvider"/> (<c>CreateLinkedTokenSource</c> + <c>CancelAfter</c> would run on the system
/// clock, which tests cannot move). <see cref="Expired"/> tells the two apart.
/// </summary>
internal sealed class TimeLimit : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public TimeLimit(TimeSpan limit, TimeProvider time, CancellationToken outer)
    {
        _timer = new CancellationTokenSource(limit, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>True once the limit has run out (whether or not the outer token was cancelled too).</summary>
    public bool Expired => _timer.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
