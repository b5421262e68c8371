using System.Buffers;
using System.Text;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// One answer typed at a terminal prompt (<see cref="ISshAuthPrompter"/>), edited as a terminal's cooked mode would:
/// Enter (CR or LF) ends it, Backspace and DEL remove the last character, Ctrl-C and Ctrl-D cancel; escape sequences
/// (arrow and function keys, bracketed paste markers) and other control characters are ignored. Typed characters are
/// echoed only when the prompt allows it. The bytes are the browser's terminal input (TDP 109), decoded as UTF-8 across
/// messages. The answer is held only here and never logged. Not thread-safe: one reader feeds it.
/// </summary>
internal sealed class SshPromptLine
{
    /// <summary>Longest answer kept, in UTF-16 characters; what is typed beyond it is ignored.</summary>
    public const int MaxCharacters = 4096;

    private const byte Escape = 0x1B;
    private static readonly byte[] s_rubOut = "\b \b"u8.ToArray();

    private readonly bool _echo;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly StringBuilder _text = new();
    private readonly char[] _chars = new char[2];
    private EscapeState _escape;

    /// <param name="echo">Whether typed characters are shown (the prompt's <see cref="SshAuthQuestion.Echo"/>).</param>
    public SshPromptLine(bool echo) => _echo = echo;

    /// <summary>Where the line is: still being typed, ended by Enter, or cancelled.</summary>
    public SshPromptLineStatus Status { get; private set; }

    /// <summary>The answer typed so far.</summary>
    public string Text => _text.ToString();

    /// <summary>
    /// Takes typed bytes until the line ends; returns how many were used (the rest belong to whatever is read next).
    /// What the terminal should show in answer (echoed characters, rub-outs) is written to <paramref name="echo"/>.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> input, IBufferWriter<byte> echo)
    {
        ArgumentNullException.ThrowIfNull(echo);
        for (var i = 0; i < input.Length; i++)
        {
            if (Status != SshPromptLineStatus.Reading)
            {
                return i;
            }
            var b = input[i];
            if (_escape != EscapeState.None)
            {
                _escape = NextEscapeState(_escape, b);
                continue;
            }
            switch (b)
            {
                case (byte)'\r' or (byte)'\n':
                    Status = SshPromptLineStatus.Done;
                    // CR LF as one Enter when both are here.
                    return b == '\r' && i + 1 < input.Length && input[i + 1] == '\n' ? i + 2 : i + 1;
                case 0x03 or 0x04:
                    Status = SshPromptLineStatus.Cancelled;
                    return i + 1;
                case 0x08 or 0x7F:
                    RubOut(echo);
                    break;
                case Escape:
                    _escape = EscapeState.Escape;
                    break;
                case < 0x20:
                    break; // other control characters mean nothing here
                default:
                    Take(b, echo);
                    break;
            }
        }
        return input.Length;
    }

    private void Take(byte b, IBufferWriter<byte> echo)
    {
        var n = _utf8.GetChars([b], _chars, flush: false);
        if (n == 0 || _text.Length + n > MaxCharacters)
        {
            return; // inside a UTF-8 sequence, or the answer is full
        }
        _text.Append(_chars, 0, n);
        if (_echo)
        {
            var bytes = Encoding.UTF8.GetBytes(_chars, 0, n);
            echo.Write(bytes);
        }
    }

    private void RubOut(IBufferWriter<byte> echo)
    {
        _utf8.Reset();
        if (_text.Length == 0)
        {
            return;
        }
        var remove = _text.Length >= 2 && char.IsLowSurrogate(_text[^1]) && char.IsHighSurrogate(_text[^2]) ? 2 : 1;
        _text.Length -= remove;
        if (_echo)
        {
            echo.Write(s_rubOut);
        }
    }

    /// <summary>ESC, then CSI (ESC [ params final 0x40-0x7E) or SS3 (ESC O one byte); anything else after ESC ends it.</summary>
    private static EscapeState NextEscapeState(EscapeState state, byte b) => state switch
    {
        EscapeState.Escape when b == '[' => EscapeState.Csi,
        EscapeState.Escape when b == 'O' => EscapeState.Ss3,
        EscapeState.Csi when b is < 0x40 or > 0x7E => EscapeState.Csi,
        _ => EscapeState.None,
    };

    private enum EscapeState
    {
        None,
        Escape,
        Csi,
        Ss3,
    }
}
