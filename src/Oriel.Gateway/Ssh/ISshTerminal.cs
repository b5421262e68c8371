namespace Oriel.Gateway.Ssh;

/// <summary>
/// A shell on a pseudo-terminal. Output is pulled with <see cref="ReadAsync"/> and is bounded: while the reader does
/// not read, the implementation holds at most <c>OutputBufferBytes</c> (a few hundred KiB) and then stops taking the
/// channel's data, which stops the SSH connection's reader, and TCP pushes back on the server. Nothing is dropped and
/// no second, unbounded copy of the output is kept. Reads and writes may run concurrently with each other.
/// </summary>
public interface ISshTerminal : IAsyncDisposable
{
    /// <summary>
    /// Copies the next output bytes (stdout and stderr of the pty, in arrival order) into <paramref name="destination"/>;
    /// returns 0 when the channel has closed (then <see cref="Exit"/> says how). Throws <see cref="SshFailure"/> when the
    /// connection is lost.
    /// </summary>
    ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct);

    /// <summary>Sends input bytes to the shell; waits while the server's channel window is closed.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct);

    /// <summary>Sends a window-change request (RFC 4254 6.7); no reply.</summary>
    void Resize(int columns, int rows, int widthPx, int heightPx);

    /// <summary>Sends a signal request (RFC 4254 6.9, a name without "SIG": "INT", "TERM").</summary>
    void Signal(string name);

    /// <summary>True while the output buffer is full and the connection's reader is held back.</summary>
    bool IsBackpressured { get; }

    /// <summary>How the remote program ended (exit-status or exit-signal, RFC 4254 6.10), once known; null before, or when the server said neither.</summary>
    SshExit? Exit { get; }
}
