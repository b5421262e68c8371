namespace Oriel.Gateway.Sessions;

/// <summary>
/// A handle on a rendered session's gate (the lock everything that touches the target's engine, the framebuffer or the
/// browser socket runs under), so that a part outside the session's loops can run a short action in order with them: a
/// live view reads the whole screen for a joining watcher, or tells the user someone is watching. Given to the
/// session's observers with the surface (<see cref="ISessionObserver.SurfaceOpened(Desktop.DesktopSurface, SessionGate)"/>).
/// Actions must be short: the session's own sends wait while one runs.
/// </summary>
public sealed class SessionGate
{
    private readonly SemaphoreSlim _gate;

    public SessionGate(SemaphoreSlim gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        _gate = gate;
    }

    /// <summary>
    /// Waits for the gate (cancelled by <paramref name="ct"/>), runs <paramref name="action"/> under it and returns its
    /// result. Throws <see cref="ObjectDisposedException"/> once the session is gone.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<ValueTask<T>> action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
