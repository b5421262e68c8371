namespace Oriel.Tdp;

/// <summary>
/// The server's side of terminal flow control (docs/tdp.md, "Terminal flow control"): counts the data bytes
/// of terminal output (108) sent and the credits of terminal ack (111) received, and says how much more may be
/// sent so that sent − acked never exceeds the window. The session reads from the remote terminal only as much
/// as <see cref="Available"/>, so a slow browser stalls the remote program instead of growing a queue.
/// Counters are 64-bit (a session may carry far more than 4 GiB). Not thread-safe: the session serializes calls.
/// </summary>
public sealed class TerminalOutputWindow
{
    /// <summary>A window of <paramref name="windowBytes"/>, at least one full terminal output message.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowBytes"/> is below <see cref="TdpLimits.MaxTerminalOutputBytes"/>.</exception>
    public TerminalOutputWindow(int windowBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBytes, TdpLimits.MaxTerminalOutputBytes);
        WindowBytes = windowBytes;
    }

    /// <summary>The most output data that may be unacknowledged at once.</summary>
    public int WindowBytes { get; }

    /// <summary>Output data bytes sent so far.</summary>
    public long Sent { get; private set; }

    /// <summary>Output data bytes the browser has acknowledged so far.</summary>
    public long Acked { get; private set; }

    /// <summary>Sent and not yet acknowledged: 0..<see cref="WindowBytes"/>.</summary>
    public long Unacknowledged => Sent - Acked;

    /// <summary>How many more output data bytes may be sent now (0 when the window is full).</summary>
    public int Available => (int)(WindowBytes - Unacknowledged);

    /// <summary>Records a terminal output of <paramref name="bytes"/> data bytes as sent.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than <see cref="Available"/> (a bug of the caller, which must not read more).</exception>
    public void OnSent(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Available);
        Sent += bytes;
    }

    /// <summary>
    /// Applies a terminal ack's credit. Returns false, changing nothing, when it would acknowledge more than was
    /// sent: the browser broke the protocol and the session ends.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is 0 (the codec never yields it).</exception>
    public bool TryAcknowledge(uint bytes)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bytes);
        if (bytes > Unacknowledged)
        {
            return false;
        }
        Acked += bytes;
        return true;
    }
}
