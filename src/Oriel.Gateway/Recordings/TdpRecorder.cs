using System.Buffers;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Storage;
using Oriel.Recording;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Records one rendered desktop session as a <c>tdp</c> recording (docs/recording.md, "The tdp kind"): a subscriber
/// to the session's outbound TDP stream, not a second code path. <see cref="WrapSender"/> puts a tee in front of the
/// browser's <see cref="ITdpSender"/>: every message the session sends the browser is recorded (one ServerData record
/// per message) before it goes out. <see cref="BrowserMessage"/> sees what the browser sends, recorded as the role's
/// <see cref="InputRecording"/> says (off: nothing; redacted: pointer events, and key presses and releases with the
/// key's identity zeroed; full: every message). Clipboard contents are never recorded, either way: a Note says how many
/// bytes went which way. At a frame boundary where the <see cref="DesktopSurface"/> has nothing pending, at least every
/// <see cref="KeyframeInterval"/> while the screen changes (and at the first frame), a keyframe goes in: the whole
/// framebuffer as PNG tiles from the recorder's own encoder (the browser's encoder and its cache are untouched), with
/// the desktop size first and the cursor shape last. Made by <see cref="RecordingService.StartTdpAsync"/>, ended by
/// <see cref="RecordingService.CompleteAsync"/>; writing, flushing and failures are <see cref="RecordingFile"/>'s.
/// Sends come under the session's gate; browser messages may come concurrently: the file's lock serialises both.
/// The methods are a session observer's, in its order: <see cref="WrapSender"/>, <see cref="BrowserMessage"/>,
/// <see cref="SurfaceOpened"/>, <see cref="FinishAsync"/>, <see cref="DescribeEnd"/>, <see cref="DisposeAsync"/>.
/// </summary>
public sealed partial class TdpRecorder : IDisposable, IAsyncDisposable
{
    public const string Kind = StreamRecordingHeader.TdpKind;

    /// <summary>The keyframes are the sync points of a tdp recording; the writer writes none of its own.</summary>
    internal static readonly StreamRecordingWriterOptions WriterOptions = new() { SyncIntervalMicroseconds = 0, SyncIntervalBytes = 0 };

    private readonly InputRecording _input;
    private readonly TimeProvider _time;
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);
    private DesktopSurface? _surface;
    private byte[]? _cursor;
    private long _lastKeyframe;
    private bool _keyframeTaken;
    private bool _changedSinceKeyframe;

    internal TdpRecorder(RecordingFile file, InputRecording input, TimeSpan keyframeInterval, TimeProvider time)
    {
        File = file;
        _input = input;
        _time = time;
        KeyframeInterval = keyframeInterval;
    }

    public RecordingFile File { get; }

    /// <summary>The longest time between keyframes while the screen changes.</summary>
    public TimeSpan KeyframeInterval { get; }

    /// <summary>Keyframes written so far.</summary>
    public int Keyframes { get; private set; }

    /// <summary>A sender that records each message, then passes it on to <paramref name="browser"/>.</summary>
    public ITdpSender WrapSender(ITdpSender browser) => new TdpTee(this, browser);

    /// <summary>The desktop is connected: keyframes come from <paramref name="surface"/>'s framebuffer from now on.</summary>
    public void SurfaceOpened(DesktopSurface surface)
    {
        ArgumentNullException.ThrowIfNull(surface);
        lock (File.Lock)
        {
            _surface = surface;
            if (!File.BeginAppend()) return;
            File.Writer.AppendSessionStart(File.Now());
            File.FlushIfDue(now: true); // the file shows the session started, whatever comes next
        }
    }

    /// <summary>A message from the browser: recorded as the role's input recording says; clipboard as a note only.</summary>
    public void BrowserMessage(TdpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is ClipboardDataMessage clip)
        {
            Note($"clipboard: {clip.Data.Length} bytes from the browser");
            return;
        }
        var kept = Reduce(message, _input);
        if (kept is null) return;
        lock (File.Lock)
        {
            if (!File.BeginAppend()) return;
            File.Writer.AppendData(StreamDirection.ClientToServer, File.Now(), Encode(kept));
            File.FlushIfDue();
        }
    }

    /// <summary>What of a browser message a recording with <paramref name="input"/> keeps: the message, a redacted copy, or nothing.</summary>
    internal static TdpMessage? Reduce(TdpMessage message, InputRecording input) => input switch
    {
        InputRecording.Full => message is ClipboardDataMessage ? null : message,
        InputRecording.Redacted => message switch
        {
            MouseMoveMessage or MouseButtonMessage or MouseWheelMessage => message,
            KeysymInputMessage key => new KeysymInputMessage(0, 0, key.State),
            KeyboardInputMessage key => new KeyboardInputMessage(0, key.State),
            _ => null,
        },
        _ => null,
    };

    /// <summary>Called by the tee for each whole encoded message before it goes to the browser.</summary>
    internal void ServerSent(TdpMessageType type, ReadOnlySpan<byte> encoded)
    {
        lock (File.Lock)
        {
            if (type == TdpMessageType.CursorShape)
            {
                _cursor = encoded.ToArray(); // the keyframe's cursor, whatever happens to the file
            }
            if (!File.BeginAppend()) return;
            if (encoded.Length > StreamRecordingFormat.MaxPayloadLength)
            {
                // Not with the gateway's tile sizes; kept readable rather than ending the session over it.
                File.Writer.AppendNote(File.Now(), $"not recorded: a {encoded.Length}-byte {type} message is larger than a record");
                return;
            }
            File.Writer.AppendData(StreamDirection.ServerToClient, File.Now(), encoded);
            _changedSinceKeyframe = true;
            if (type == TdpMessageType.FrameMarker && KeyframeDue())
            {
                WriteKeyframe();
            }
            File.FlushIfDue();
        }
    }

    /// <summary>Called by the tee for a clipboard message to the browser: its size only.</summary>
    internal void Note(string text)
    {
        lock (File.Lock)
        {
            if (!File.BeginAppend()) return;
            File.Writer.AppendNote(File.Now(), text);
            File.FlushIfDue();
        }
    }

    private ReadOnlySpan<byte> Encode(TdpMessage message)
    {
        _scratch.ResetWrittenCount();
        var n = TdpCodec.Encode(message, _scratch.GetSpan(message.Size));
        _scratch.Advance(n);
        return _scratch.WrittenSpan;
    }

    /// <summary>The session ended: the last records, the catalog row, the audit of a failure (<see cref="RecordingService.CompleteAsync"/>).</summary>
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
