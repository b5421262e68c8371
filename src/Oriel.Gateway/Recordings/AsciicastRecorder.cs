using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Recording;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Records one rendered terminal session (an adapter whose <see cref="IProtocolAdapter.Medium"/> is
/// <see cref="SessionMedium.Terminal"/>, such as SSH) as an asciicast v2 file (docs/asciicast.md,
/// <see cref="RecordingPaths.Asciicast"/>), a subscriber to the session's TDP like <see cref="TdpRecorder"/>:
/// <list type="bullet">
/// <item>terminal output (108) sent to the browser → <c>"o"</c> events, through the one <see cref="AsciicastWriter"/> of
/// the session, whose UTF-8 decoder carries a character split between two messages into the next (bytes that are not
/// UTF-8 become U+FFFD);</item>
/// <item>terminal resize (110) from the browser → <c>"r"</c> events <c>COLSxROWS</c>; the first one sets the header's
/// size instead (the header is written when the first 110 arrives, or 80x24 when output, the end or anything else
/// to record comes first);</item>
/// <item>terminal input (109) → <c>"i"</c> events only when the role's <see cref="InputRecording"/> is
/// <see cref="InputRecording.Full"/> and the protocol has not said the input is secret
/// (<see cref="ISessionObserver.SecretInput"/>: a password typed at a prompt). Off and Redacted keep no input: a
/// terminal's keystrokes have no form without their identity that a player could use;</item>
/// <item>terminal exit (112) → a marker (<c>"m"</c>) labelled with how the program ended (its sentence, or "exit 0",
/// "signal KILL"), a chapter point in the player at the end.</item>
/// </list>
/// Every other TDP message is left out. Lines go into the <see cref="RecordingFile"/>'s buffer under its lock and reach
/// the file in batches (at most every <see cref="RecordingFile.FlushInterval"/> or <see cref="RecordingFile.FlushBytes"/>);
/// a failed write is handled as the role's <see cref="RecordingMode"/> says (<see cref="RecordingFile"/>). Made by
/// <see cref="RecordingService.StartAsciicastAsync"/>, ended by <see cref="FinishAsync"/>.
/// </summary>
public sealed class AsciicastRecorder : IDisposable, IAsyncDisposable
{
    /// <summary>The catalog kind of a terminal recording.</summary>
    public const string Kind = "asciicast";

    /// <summary>The header's size when no resize came before the first thing recorded (what a terminal is by default).</summary>
    public const int DefaultColumns = 80;

    /// <inheritdoc cref="DefaultColumns"/>
    public const int DefaultRows = 24;

    /// <summary>The terminal type the header names (what the browser's xterm.js emulates and the SSH pty asks for).</summary>
    public const string TerminalType = "xterm-256color";

    /// <summary>
    /// Why a terminal recording has no TDP form and no video export: what the recordings API and the exporter say when
    /// asked for one.
    /// </summary>
    public const string NotDesktopSentence =
        "This is a terminal recording (asciicast): it plays in the recordings page or with asciinema, and is not exported as a video.";

    private readonly InputRecording _input;
    private readonly AsciicastHeader _template;
    private AsciicastWriter? _writer;
    private bool _secret;
    private (int Columns, int Rows) _size = (DefaultColumns, DefaultRows);

    internal AsciicastRecorder(RecordingFile file, InputRecording input, AsciicastHeader template)
    {
        File = file;
        _input = input;
        _template = template;
        file.Closing = Close;
    }

    public RecordingFile File { get; }

    /// <summary>Whether typed input is being left out because the protocol said it is secret.</summary>
    public bool SecretInputActive
    {
        get
        {
            lock (File.Lock) return _secret;
        }
    }

    /// <summary>The header of a new recording of <paramref name="live"/>, without its size (known at the first resize).</summary>
    internal static AsciicastHeader Template(LiveSession live, ResolvedTarget target, DateTimeOffset started) => new()
    {
        Width = DefaultColumns,
        Height = DefaultRows,
        Timestamp = started.ToUnixTimeSeconds(),
        Title = Truncate($"{target.Name} · {live.UserName}"),
        Term = TerminalType,
    };

    /// <summary>A sender that records each terminal message the session sends, then passes it on to <paramref name="browser"/>.</summary>
    public Desktop.ITdpSender WrapSender(Desktop.ITdpSender browser) => new AsciicastTee(this, browser);

    /// <summary>A message from the browser: resizes always; typed input as the role and <see cref="SecretInput"/> say.</summary>
    public void BrowserMessage(TdpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case TerminalResizeMessage resize:
                Resize(resize.Columns, resize.Rows);
                break;
            case TerminalInputMessage typed when _input == InputRecording.Full:
                Input(typed.Data);
                break;
        }
    }

    /// <summary>The protocol says what the browser sends next is secret (true) or no longer (false).</summary>
    public void SecretInput(bool active)
    {
        lock (File.Lock)
        {
            _secret = active;
        }
    }

    /// <summary>Terminal output the session sends the browser (the data of a 108 message).</summary>
    internal void Output(ReadOnlySpan<byte> data)
    {
        lock (File.Lock)
        {
            if (!File.BeginAppend()) return;
            var now = File.Now();
            Writer().WriteOutput(now, data);
            File.FlushIfDue();
        }
    }

    /// <summary>The remote program ended (112): a marker with how.</summary>
    internal void Exited(TerminalExitMessage exit)
    {
        lock (File.Lock)
        {
            if (!File.BeginAppend()) return;
            var now = File.Now();
            Writer().WriteMarker(now, ExitLabel(exit));
            File.FlushIfDue(now: true); // the end is in the file whatever comes next
        }
    }

    private void Resize(int columns, int rows)
    {
        lock (File.Lock)
        {
            if (!File.BeginAppend()) return;
            if (_writer is null)
            {
                _size = (columns, rows);
                Writer(columns, rows);
                File.FlushIfDue(now: true); // the header: a disk that cannot take it fails now, before any output
                return;
            }
            if (_size == (columns, rows)) return; // the browser said it again: nothing changed
            _size = (columns, rows);
            _writer.WriteResize(File.Now(), columns, rows);
            File.FlushIfDue();
        }
    }

    private void Input(ReadOnlySpan<byte> data)
    {
        lock (File.Lock)
        {
            if (_secret || !File.BeginAppend()) return;
            var now = File.Now();
            Writer().WriteInput(now, data);
            File.FlushIfDue();
        }
    }

    /// <summary>Under the lock: the session's writer, made with the header when the first thing is recorded.</summary>
    private AsciicastWriter Writer(int columns = DefaultColumns, int rows = DefaultRows) =>
        _writer ??= new AsciicastWriter(File.Output, _template with { Width = columns, Height = rows },
            new AsciicastWriterOptions { RecordInput = _input == InputRecording.Full });

    /// <summary>Under the lock, from <see cref="RecordingFile.Finish"/>: the header if nothing came, and a character still held back as U+FFFD.</summary>
    private void Close(long now) => Writer().Finish(now);

    /// <summary>The marker's label: the exit's own sentence when it has one, else its kind in short.</summary>
    internal static string ExitLabel(TerminalExitMessage exit) =>
        !string.IsNullOrWhiteSpace(exit.Message) ? Truncate(exit.Message) : exit.Kind switch
        {
            TerminalExitKind.Exited => $"exit {exit.ExitStatus}",
            TerminalExitKind.Signaled => $"signal {exit.Signal}",
            _ => "ended",
        };

    private static string Truncate(string text) =>
        text.Length <= AsciicastHeader.MaxTextLength ? text : text[..(AsciicastHeader.MaxTextLength - 1)] + "…";

    /// <summary>The session ended: the last lines, the catalog row, the audit of a failure (<see cref="RecordingService.CompleteAsync"/>).</summary>
    public Task FinishAsync(Sessions.SessionEndReason reason, string userMessage) => File.Service.CompleteAsync(File, reason, userMessage);

    /// <summary>Adds the recording's file name (and problem) to the <c>session.end</c> audit details.</summary>
    public void DescribeEnd(System.Text.Json.Nodes.JsonObject details) => File.DescribeEnd(details);

    public void Dispose() => File.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
