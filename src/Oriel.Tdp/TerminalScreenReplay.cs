using System.Text;

namespace Oriel.Tdp;

/// <summary>
/// Enough of a terminal's output to draw its current screen in a fresh terminal emulator: what a live-view watcher
/// who joins a terminal session mid-way is sent first (docs/live-view.md). It keeps the output (the 108 data, in order)
/// since the last full-screen reset, and forgets everything before it:
/// <list type="bullet">
/// <item><c>ESC c</c> (full reset, RIS): everything, the alternate screen and the modes included;</item>
/// <item><c>ESC [ 2 J</c> (erase the whole display) and <c>ESC [ H ESC [ J</c> (home, then erase to the end): the
/// screen being shown (normal or alternate);</item>
/// <item><c>ESC [ ? 1049 h</c> (also 1047, 47: switch to the alternate screen): the alternate screen's bytes start
/// afresh, and the normal screen's are kept, unchanged, for when the program switches back (<c>l</c>), which drops the
/// alternate screen's bytes again. So a watcher joining while vim runs gets the shell's screen, the switch, and vim's
/// screen since its last redraw.</item>
/// </list>
/// The DEC private modes set or reset (<c>ESC [ ? n h</c> / <c>l</c>: cursor visibility, autowrap, mouse and so on) are
/// followed, and those in force where a screen's bytes begin are written before them, so the replay starts in the same
/// modes. Each screen's bytes are capped (<see cref="Capacity"/>, a ring keeping the tail): a screen that outgrew it
/// without a reset replays only its tail (<see cref="Truncated"/>), and the watcher's screen may then start partial, or
/// in the wrong colours, until the program redraws. Other state before a reset (colours, the scroll region, the cursor
/// position at a bare <c>ESC [ 2 J</c>) is not kept. Escape sequences and UTF-8 characters may be split across
/// <see cref="Append"/> calls. Plain output is skipped through with a vectorised search for ESC, so a terminal that
/// writes text costs one copy into the ring.
/// </summary>
public sealed class TerminalScreenReplay
{
    /// <summary>The default cap of each screen's bytes: 1 MiB.</summary>
    public const int DefaultCapacity = 1024 * 1024;

    /// <summary>Parameter bytes of a control sequence beyond this make it one the replay does not act on.</summary>
    private const int MaxParameterBytes = 32;

    /// <summary>Distinct private modes followed; more are ignored (a terminal has a few dozen).</summary>
    private const int MaxModes = 64;

    private const byte Esc = 0x1B;

    /// <summary>The most bytes of an unfinished sequence held back across <see cref="Append"/> calls.</summary>
    private const int MaxCarryBytes = 64;

    private readonly TerminalReplayRing _normal;
    private readonly TerminalReplayRing _alternate;
    private readonly Dictionary<int, bool> _modes = [];
    private readonly byte[] _parameters = new byte[MaxParameterBytes];
    private KeyValuePair<int, bool>[] _normalModes = [];
    private KeyValuePair<int, bool>[] _alternateModes = [];
    private int _alternateMode;
    private State _state;
    private int _parameterLength;
    private bool _parametersOverflow;
    private bool _intermediate;
    private bool _homed;

    /// <summary>
    /// The start of an escape sequence an earlier <see cref="Append"/> ended in, held back from the ring until it is known
    /// whether the sequence switches screens (then it is not kept at all). A longer sequence is kept as it comes and
    /// is not acted on.
    /// </summary>
    private readonly byte[] _carry = new byte[MaxCarryBytes];
    private int _carryLength;

    public TerminalScreenReplay(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 64);
        Capacity = capacity;
        _normal = new TerminalReplayRing(capacity);
        _alternate = new TerminalReplayRing(capacity);
    }

    private enum State : byte
    {
        Ground,
        Escape,
        EscapeIntermediate,
        ControlSequence,
    }

    /// <summary>The most bytes kept for each screen (normal, alternate).</summary>
    public int Capacity { get; }

    /// <summary>True while the terminal shows its alternate screen (a full-screen program).</summary>
    public bool AlternateScreen => _alternateMode != 0;

    /// <summary>A screen's oldest bytes since its reset were dropped for the cap: the replay starts mid-stream.</summary>
    public bool Truncated => _normal.Truncated || (AlternateScreen && _alternate.Truncated);

    /// <summary>How many bytes <see cref="CopyTo"/> writes.</summary>
    public int Length =>
        ModesLength(_normalModes) + _normal.Count + (AlternateScreen ? SwitchLength(_alternateMode) + ModesLength(_alternateModes) + _alternate.Count : 0) +
        _carryLength;

    /// <summary>Takes the next bytes of the terminal's output, in order.</summary>
    public void Append(ReadOnlySpan<byte> output)
    {
        var segment = 0; // output[segment..] is not yet in a ring
        var sequenceStart = 0; // where the sequence being read began in output (0: in an earlier call)
        var i = 0;
        while (i < output.Length)
        {
            if (_state == State.Ground)
            {
                var esc = output[i..].IndexOf(Esc);
                if (esc != 0)
                {
                    _homed = false;
                }
                if (esc < 0)
                {
                    break;
                }
                i += esc;
                sequenceStart = i;
                Begin();
                i++;
                continue;
            }
            var b = output[i];
            i++;
            if (b == Esc)
            {
                Done(); // the sequence so far is abandoned: plain bytes
                sequenceStart = i - 1;
                Begin();
                continue;
            }
            if (b is 0x18 or 0x1A)
            {
                Done(); // CAN, SUB: the sequence is abandoned
                continue;
            }
            if (b < 0x20 || b >= 0x7F)
            {
                continue; // controls run inside a sequence without ending it; DEL and non-ASCII are ignored there
            }
            switch (_state)
            {
                case State.Escape when b == (byte)'[':
                    _state = State.ControlSequence;
                    break;
                case State.Escape when b == (byte)'c':
                    Acted();
                    segment = FullReset(i);
                    break;
                case State.Escape when b is (byte)']' or (byte)'P' or (byte)'X' or (byte)'^' or (byte)'_':
                    Done(); // a string (OSC, DCS, ...): its text is nothing the replay acts on, and an ESC ends it
                    break;
                case State.Escape or State.EscapeIntermediate when b < 0x30:
                    _state = State.EscapeIntermediate;
                    break;
                case State.Escape or State.EscapeIntermediate:
                    Done();
                    break;
                case State.ControlSequence when b < 0x30:
                    _intermediate = true;
                    break;
                case State.ControlSequence when b < 0x40:
                    if (_parameterLength < MaxParameterBytes)
                    {
                        _parameters[_parameterLength++] = b;
                    }
                    else
                    {
                        _parametersOverflow = true;
                    }
                    break;
                case State.ControlSequence:
                    segment = ControlSequence((char)b, output, segment, sequenceStart, i);
                    break;
            }
        }
        if (_state == State.Ground)
        {
            Ring.Append(output[segment..]);
            return;
        }
        // Ends inside a sequence: its bytes wait in the carry (they may switch screens), unless there are too many.
        var start = Math.Max(sequenceStart, segment);
        Ring.Append(output[segment..start]);
        var tail = output[start..];
        if (_carryLength + tail.Length <= MaxCarryBytes)
        {
            tail.CopyTo(_carry.AsSpan(_carryLength));
            _carryLength += tail.Length;
        }
        else
        {
            FlushCarry();
            Ring.Append(tail);
            _parametersOverflow = true; // too long to be one the replay acts on
        }
    }

    /// <summary>
    /// Writes the replay (<see cref="Length"/> bytes): the normal screen's modes and bytes, then, on the alternate screen,
    /// the switch, its modes and bytes; last the start of a sequence the output ends in (the next output continues it).
    /// </summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"the replay is {Length} bytes; the destination holds {destination.Length}", nameof(destination));
        }
        var at = WriteModes(_normalModes, destination);
        _normal.CopyTo(destination[at..]);
        at += _normal.Count;
        if (AlternateScreen)
        {
            at += WriteAscii($"\e[?{_alternateMode}h", destination[at..]);
            at += WriteModes(_alternateModes, destination[at..]);
            _alternate.CopyTo(destination[at..]);
            at += _alternate.Count;
        }
        _carry.AsSpan(0, _carryLength).CopyTo(destination[at..]);
    }

    /// <summary>The replay as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    private TerminalReplayRing Ring => AlternateScreen ? _alternate : _normal;

    /// <summary>An ESC: a sequence begins.</summary>
    private void Begin()
    {
        _state = State.Escape;
        _parameterLength = 0;
        _parametersOverflow = false;
        _intermediate = false;
    }

    /// <summary>The sequence being read is an ordinary one (or abandoned): its held-back start goes to the ring.</summary>
    private void Done()
    {
        _state = State.Ground;
        FlushCarry();
    }

    /// <summary>The sequence being read was acted on: its held-back start is not kept.</summary>
    private void Acted()
    {
        _state = State.Ground;
        _carryLength = 0;
    }

    private void FlushCarry()
    {
        if (_carryLength > 0)
        {
            Ring.Append(_carry.AsSpan(0, _carryLength));
            _carryLength = 0;
        }
    }

    /// <summary>A control sequence ended at <paramref name="end"/> (exclusive) with <paramref name="final"/>; returns where the bytes not yet kept begin.</summary>
    private int ControlSequence(char final, ReadOnlySpan<byte> output, int segment, int sequenceStart, int end)
    {
        var parameters = _parameters.AsSpan(0, _parameterLength);
        var wasHomed = _homed;
        _homed = false;
        if (_intermediate || _parametersOverflow)
        {
            Done();
            return segment;
        }
        switch (final)
        {
            case 'H' or 'f':
                Done();
                _homed = parameters.SequenceEqual("1;1"u8) || parameters.IsEmpty || parameters.SequenceEqual("1"u8) || parameters.SequenceEqual(";"u8) ||
                    parameters.SequenceEqual("1;"u8) || parameters.SequenceEqual(";1"u8);
                return segment;
            case 'J' when parameters.SequenceEqual("2"u8):
                Acted();
                return ScreenReset("\e[2J", end);
            case 'J' when wasHomed && (parameters.IsEmpty || parameters.SequenceEqual("0"u8)):
                Acted();
                return ScreenReset("\e[H\e[J", end);
            case 'h' or 'l' when parameters.Length > 1 && parameters[0] == (byte)'?':
                return PrivateModes(parameters[1..], final == 'h', output, segment, sequenceStart, end);
            default:
                Done();
                return segment;
        }
    }

    /// <summary>RIS: the terminal starts over, so does the replay.</summary>
    private int FullReset(int end)
    {
        _alternateMode = 0;
        _alternate.Clear();
        _normal.Clear();
        _modes.Clear();
        _normalModes = [];
        _alternateModes = [];
        _homed = false;
        _normal.Append("\ec"u8);
        return end;
    }

    /// <summary>The screen shown now was erased: its bytes start again here, in the modes in force now.</summary>
    private int ScreenReset(string canonical, int end)
    {
        Ring.Clear();
        if (AlternateScreen)
        {
            _alternateModes = [.. _modes];
        }
        else
        {
            _normalModes = [.. _modes];
        }
        AppendAscii(canonical);
        return end;
    }

    /// <summary>DEC private modes set or reset: followed; a screen switch among them moves the replay to the other screen.</summary>
    private int PrivateModes(ReadOnlySpan<byte> list, bool set, ReadOnlySpan<byte> output, int segment, int sequenceStart, int end)
    {
        var switched = false;
        List<int>? others = null;
        foreach (var range in list.Split((byte)';'))
        {
            if (!int.TryParse(list[range], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mode))
            {
                continue;
            }
            if (mode is 47 or 1047 or 1049)
            {
                if (set != AlternateScreen)
                {
                    if (!switched)
                    {
                        // The bytes before the switch belong to the screen left; the switch itself is written by CopyTo.
                        Ring.Append(output[segment..sequenceStart]);
                        Acted();
                        segment = end;
                        switched = true;
                    }
                    _alternate.Clear();
                    _alternateMode = set ? mode : 0;
                    _alternateModes = set ? [.. _modes] : [];
                }
                continue;
            }
            if (_modes.ContainsKey(mode) || _modes.Count < MaxModes)
            {
                _modes[mode] = set;
            }
            (others ??= []).Add(mode);
        }
        if (!switched)
        {
            Done();
        }
        else if (others is not null)
        {
            foreach (var mode in others)
            {
                AppendAscii($"\e[?{mode}{(set ? 'h' : 'l')}");
            }
        }
        return segment;
    }

    private void AppendAscii(string text)
    {
        Span<byte> bytes = stackalloc byte[text.Length];
        Encoding.ASCII.GetBytes(text, bytes);
        Ring.Append(bytes);
    }

    private static int WriteAscii(string text, Span<byte> destination) => Encoding.ASCII.GetBytes(text, destination);

    private static int SwitchLength(int mode) => $"\e[?{mode}h".Length;

    private static int ModesLength(KeyValuePair<int, bool>[] modes) => modes.Sum(m => ModeText(m).Length);

    private static string ModeText(KeyValuePair<int, bool> mode) => $"\e[?{mode.Key}{(mode.Value ? 'h' : 'l')}";

    private static int WriteModes(KeyValuePair<int, bool>[] modes, Span<byte> destination)
    {
        var at = 0;
        foreach (var mode in modes)
        {
            at += WriteAscii(ModeText(mode), destination[at..]);
        }
        return at;
    }
}
