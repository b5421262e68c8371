using System.Buffers;
using System.Text;
using System.Threading.Channels;

namespace Oriel.Gateway.Ssh;

public sealed partial class SshSession
{
    /// <summary>Typed bytes waiting for a prompt's reader; beyond this much, more typing is dropped (an answer is a line).</summary>
    private const int MaxPendingPromptBytes = 64 * 1024;

    private readonly Channel<byte[]> _promptInput = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Lock _inputRoute = new();
    private int _pendingPromptBytes;
    private bool _shellInput;

    /// <summary>
    /// Asks the server's prompts in the browser's terminal (CONTRACTS 6): the name and instruction, then each question,
    /// are written as terminal output, and each answer is read from what the user types (<see cref="SshPromptLine"/>),
    /// echoed only when the question allows. While an answer that is not echoed is read the session's observers are told
    /// the input is secret (a recorder keeps none of it). Null when the user cancels or the session ends.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>?> AskAsync(SshAuthPrompt prompt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (_promptCancelled)
        {
            return null; // Ctrl-C at one prompt gives up the login, not just that method
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopped.Token);
        var token = linked.Token;
        try
        {
            DropPromptInput(); // nothing typed before the question is an answer to it
            var header = new StringBuilder();
            foreach (var line in new[] { prompt.Name, prompt.Instruction })
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    header.Append(TerminalText(line.TrimEnd())).Append("\r\n");
                }
            }
            if (header.Length > 0)
            {
                await SendOutputAsync(Encoding.UTF8.GetBytes(header.ToString()), token).ConfigureAwait(false);
            }
            var answers = new List<string>(prompt.Questions.Count);
            foreach (var question in prompt.Questions)
            {
                await SendOutputAsync(Encoding.UTF8.GetBytes(TerminalText(question.Text)), token).ConfigureAwait(false);
                var answer = await ReadAnswerAsync(question.Echo, token).ConfigureAwait(false);
                if (answer is null)
                {
                    _promptCancelled = true;
                    Log.PromptCancelled(_log, _live.Id, _target.Id);
                    await SendOutputAsync("^C\r\n"u8.ToArray(), token).ConfigureAwait(false);
                    return null;
                }
                await SendOutputAsync("\r\n"u8.ToArray(), token).ConfigureAwait(false);
                if (!question.Echo && question.Text.Contains("password", StringComparison.OrdinalIgnoreCase))
                {
                    _typedPassword = answer; // for the file panel's own connection; in memory for the session only
                }
                answers.Add(answer);
            }
            return answers;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Reads one answer; null when cancelled by the user. Tells the observers the input is secret while it reads an unechoed one.</summary>
    private async Task<string?> ReadAnswerAsync(bool echo, CancellationToken ct)
    {
        var line = new SshPromptLine(echo);
        var shown = new ArrayBufferWriter<byte>(64);
        if (!echo)
        {
            _context.SecretInput(true);
        }
        try
        {
            while (line.Status == SshPromptLineStatus.Reading)
            {
                var typed = await _promptInput.Reader.ReadAsync(ct).ConfigureAwait(false);
                Interlocked.Add(ref _pendingPromptBytes, -typed.Length);
                line.Feed(typed, shown); // what follows Enter in the same message is not for this question
                if (shown.WrittenCount > 0)
                {
                    await SendOutputAsync(shown.WrittenMemory, ct).ConfigureAwait(false);
                    shown.ResetWrittenCount();
                }
            }
        }
        finally
        {
            if (!echo)
            {
                _context.SecretInput(false);
            }
        }
        return line.Status == SshPromptLineStatus.Done ? line.Text : null;
    }

    /// <summary>Typed bytes while there is no shell: kept for a prompt's reader, up to <see cref="MaxPendingPromptBytes"/>.</summary>
    private void OfferPromptInput(byte[] data)
    {
        if (Interlocked.Add(ref _pendingPromptBytes, data.Length) > MaxPendingPromptBytes || !_promptInput.Writer.TryWrite(data))
        {
            Interlocked.Add(ref _pendingPromptBytes, -data.Length);
        }
    }

    /// <summary>
    /// The shell is open: what was typed after the last prompt's answer (or with no prompt at all) goes to it first, in
    /// order, and every later input after it (as a terminal's type-ahead does). What was typed before a prompt appeared was
    /// dropped as the prompt began, so nothing meant as an answer reaches the shell.
    /// </summary>
    private void RouteInputToShell()
    {
        lock (_inputRoute)
        {
            var typed = new List<byte>();
            while (_promptInput.Reader.TryRead(out var data))
            {
                Interlocked.Add(ref _pendingPromptBytes, -data.Length);
                typed.AddRange(data);
            }
            if (typed.Count > 0)
            {
                _input.Writer.TryWrite([.. typed]); // the queue is still empty, and this is at most 64 KiB (one message's worth)
            }
            _shellInput = true;
        }
    }

    /// <summary>Forgets typed bytes no prompt has read.</summary>
    private void DropPromptInput()
    {
        while (_promptInput.Reader.TryRead(out var stale))
        {
            Interlocked.Add(ref _pendingPromptBytes, -stale.Length);
        }
    }

    /// <summary>A server's prompt text for a terminal: line feeds become CR LF, other control characters are left out.</summary>
    private static string TerminalText(string text)
    {
        var result = new StringBuilder(text.Length + 8);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (c == '\n')
            {
                result.Append("\r\n");
            }
            else if (!char.IsControl(c))
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }
}
