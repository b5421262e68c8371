using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Gateway.Ssh;

public sealed partial class SshSession
{
    /// <summary>Longest 112 message text the gateway sends (a server's signal message could be long).</summary>
    private const int MaxExitMessageCharacters = 1024;

    /// <summary>
    /// The shell's output to the browser: each read asks the terminal for no more than the window has room for (and at
    /// most one 64 KiB message), so while the browser has not acknowledged a window's worth the gateway does not read at
    /// all, and the terminal's bounded buffer holds the SSH channel back. Ends with the shell (112, then
    /// <see cref="SessionEndReason.TargetClosed"/>) or a lost connection.
    /// </summary>
    private async Task PumpOutputAsync(CancellationToken ct)
    {
        var terminal = _terminal!;
        var buffer = new byte[TdpLimits.MaxTerminalOutputBytes];
        while (true)
        {
            var room = await WaitForWindowAsync(ct).ConfigureAwait(false);
            int n;
            try
            {
                n = await terminal.ReadAsync(buffer.AsMemory(0, Math.Min(room, buffer.Length)), ct).ConfigureAwait(false);
            }
            catch (SshFailure ex)
            {
                throw await ConnectionLostAsync(ex.Message, ct).ConfigureAwait(false);
            }
            if (n == 0)
            {
                throw await ShellEndedAsync(terminal, ct).ConfigureAwait(false);
            }
            _live.AddFromTarget(n);
            await SendOutputMessageAsync(buffer.AsSpan(0, n).ToArray(), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The browser's terminal input to the shell, in order; waits while the server's channel window is closed.</summary>
    private async Task PumpInputAsync(CancellationToken ct)
    {
        var terminal = _terminal!;
        await foreach (var data in _input.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await terminal.WriteAsync(data, ct).ConfigureAwait(false);
            }
            catch (SshFailure ex)
            {
                throw await ConnectionLostAsync(ex.Message, ct).ConfigureAwait(false);
            }
            _live.AddToTarget(data.Length);
        }
    }

    /// <summary>
    /// Ends the session when the connection goes away. When the shell has already said how it ended, the output loop
    /// ends the session instead, after sending what the shell wrote last.
    /// </summary>
    private async Task WatchConnectionAsync(CancellationToken ct)
    {
        var sentence = await _connection!.Closed.WaitAsync(ct).ConfigureAwait(false);
        if (_terminal?.Exit is not null)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, ct).ConfigureAwait(false);
        }
        throw await ConnectionLostAsync(sentence, ct).ConfigureAwait(false);
    }

    /// <summary>The shell's channel closed: 112 with its exit status or signal, and the session ends as the target closing it.</summary>
    private async Task<SessionFailure> ShellEndedAsync(ISshTerminal terminal, CancellationToken ct)
    {
        if (terminal.Exit is not { } exit)
        {
            var sentence = _connection!.Closed.IsCompleted
                ? await _connection.Closed.ConfigureAwait(false)
                : "The SSH server closed the terminal without saying how the remote shell ended.";
            return await ConnectionLostAsync(sentence, ct).ConfigureAwait(false);
        }
        var description = exit.Describe();
        Log.ShellExited(_log, _live.Id, _target.Id, description);
        var message = Truncate(description);
        await SendExitAsync(exit.Signal is { } signal
            ? new TerminalExitMessage(TerminalExitKind.Signaled, 0, SignalName(signal), message)
            : new TerminalExitMessage(TerminalExitKind.Exited, unchecked((uint)(exit.Status ?? 0)), "", message), ct).ConfigureAwait(false);
        return new SessionFailure(SessionEndReason.TargetClosed, description);
    }

    /// <summary>The connection was lost after it was up: 112 saying the end is unknown, and the session ends as the target closing it.</summary>
    private async Task<SessionFailure> ConnectionLostAsync(string sentence, CancellationToken ct)
    {
        Log.ConnectionLost(_log, _live.Id, _target.Id, sentence);
        await SendExitAsync(new TerminalExitMessage(TerminalExitKind.Unknown, 0, "", Truncate(sentence)), ct).ConfigureAwait(false);
        return new SessionFailure(SessionEndReason.TargetClosed, sentence);
    }

    /// <summary>Sends terminal exit (112) once, whichever loop sees the end first.</summary>
    private async ValueTask SendExitAsync(TerminalExitMessage exit, CancellationToken ct)
    {
        await _sendGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_exitSent)
            {
                return;
            }
            _exitSent = true;
            await _browser.SendAsync(exit).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>A signal name as 112 carries it: 1-32 printable ASCII characters.</summary>
    private static string SignalName(string signal)
    {
        var printable = new string([.. signal.Where(c => c is >= '!' and <= '~')]);
        return printable.Length == 0 ? "UNKNOWN" : printable[..Math.Min(printable.Length, TdpLimits.MaxSignalNameBytes)];
    }

    private static string Truncate(string text) => text.Length <= MaxExitMessageCharacters ? text : text[..MaxExitMessageCharacters] + "...";
}
