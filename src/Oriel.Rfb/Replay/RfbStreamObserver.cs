using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Replay;

/// <summary>
/// Watches both directions of a recorded RFB session ([RFC 6143]) passively and rebuilds the
/// framebuffer the viewer saw. Feed it the recorded bytes in recorded order with
/// <see cref="Observe"/>, any chunking; it follows the version exchange, the security type the
/// client picked (None and VNC Authentication; the 16-byte challenge and response are skipped),
/// SecurityResult, ClientInit/ServerInit, then the client's SetPixelFormat (which sets the format
/// of the server's later updates) and SetEncodings, and applies the server's FramebufferUpdates,
/// SetColourMapEntries, ServerCutText, Bell and desktop size changes with the same code as the live
/// engine (<see cref="RfbServerMessageProcessor"/>). It sends nothing and keeps no secrets: the
/// challenge and response are skipped unread, key events are framed and dropped.
/// <para>
/// Security types that encrypt the stream (VeNCrypt's TLS, RA2) cannot be replayed from the raw
/// bytes: <see cref="RfbReplayUnsupportedException"/>. Malformed bytes: <see cref="DecodeException"/>
/// with the stream offset. After either, <see cref="Phase"/> is <see cref="RfbPhase.Closed"/>. A
/// recorded authentication failure also ends in <see cref="RfbPhase.Closed"/>, quietly, with
/// <see cref="FailureReason"/> set. No I/O, no clock; not thread-safe.
/// </para>
/// </summary>
public sealed partial class RfbStreamObserver
{
    private readonly IFramebufferSink _sink;
    private readonly RfbStreamObserverOptions _options;
    private readonly Queue<RfbEvent> _events = new();
    private readonly ByteQueue _fromServer = new();
    private readonly ByteQueue _fromClient = new();
    private bool _broken;

    public RfbStreamObserver(IFramebufferSink? sink = null, RfbStreamObserverOptions? options = null)
    {
        _sink = sink ?? NullFramebufferSink.Instance;
        _options = options ?? new RfbStreamObserverOptions();
        if (_options.MaxClipboardBytes < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxClipboardBytes must not be negative");
    }

    /// <summary>Where the session is, from the server's side: <see cref="RfbPhase.Normal"/> once ServerInit was seen.</summary>
    public RfbPhase Phase => _serverPhase switch
    {
        ServerPhase.ProtocolVersion => RfbPhase.ProtocolVersion,
        ServerPhase.SecurityOffer or ServerPhase.AwaitChoice => RfbPhase.Security,
        ServerPhase.VncChallenge => RfbPhase.VncAuthentication,
        ServerPhase.SecurityResult => RfbPhase.SecurityResult,
        ServerPhase.ServerInit => RfbPhase.ServerInit,
        ServerPhase.Normal => RfbPhase.Normal,
        _ => RfbPhase.Closed,
    };

    /// <summary>The version the server offered.</summary>
    public ProtocolVersionMessage? ServerVersion { get; private set; }

    /// <summary>The version in use: the client's answer, read the way [RFC 6143] 7.1.1 says.</summary>
    public ProtocolVersionMessage? Version { get; private set; }

    /// <summary>The security type in use (the client's choice; the server's for 3.3).</summary>
    public uint? SecurityType { get; private set; }

    /// <summary>The server's reason when the recorded session failed before ServerInit.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>The client's shared-flag from ClientInit.</summary>
    public bool? Shared { get; private set; }

    /// <summary>Created at ServerInit and resized with the desktop: the screen as the viewer saw it.</summary>
    public Framebuffer? Framebuffer => _processor?.Framebuffer;

    /// <summary>From ServerInit or the DesktopName pseudo-encoding.</summary>
    public string? DesktopName => _processor?.DesktopName;

    /// <summary>The server's natural pixel format from ServerInit.</summary>
    public PixelFormat? ServerPixelFormat { get; private set; }

    /// <summary>The pixel format the server's updates are read in: ServerInit's, then the client's last SetPixelFormat.</summary>
    public PixelFormat? PixelFormat => _pendingPixelFormat ?? _processor?.Pixels.Format;

    /// <summary>The client's last SetEncodings list.</summary>
    public IReadOnlyList<int> Encodings { get; private set; } = [];

    /// <summary>FramebufferUpdates applied so far.</summary>
    public long UpdatesCompleted => _processor?.UpdatesCompleted ?? 0;

    /// <summary>Server-to-client bytes processed (not counting bytes buffered for an incomplete unit).</summary>
    public long ServerBytesProcessed { get; private set; }

    /// <summary>Client-to-server bytes processed.</summary>
    public long ClientBytesProcessed { get; private set; }

    /// <summary>
    /// True between server messages with nothing buffered: the framebuffer is a whole screen, not a
    /// half-applied update. A player takes its keyframes (framebuffer snapshots) at such points.
    /// </summary>
    public bool IsAtUpdateBoundary => _serverPhase == ServerPhase.Normal && !_processor!.InUpdate && _fromServer.Length == 0;

    /// <summary>
    /// Takes recorded bytes that went <paramref name="direction"/>, in recorded order, and processes
    /// everything both directions allow so far.
    /// </summary>
    public void Observe(RfbStreamDirection direction, ReadOnlySpan<byte> data)
    {
        if (_broken) throw new InvalidOperationException("the replay stopped at an error");
        if (_serverPhase == ServerPhase.Closed) return; // a recorded failure: what follows has no screen
        switch (direction)
        {
            case RfbStreamDirection.ServerToClient:
                _fromServer.Append(data);
                break;
            case RfbStreamDirection.ClientToServer:
                _fromClient.Append(data);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(direction));
        }
        Pump();
    }

    /// <summary>Takes the oldest event, if any (<see cref="RfbConnected"/>, <see cref="RfbUpdateCompleted"/>, <see cref="RfbFramebufferResized"/>, ...).</summary>
    public bool TryDequeueEvent(out RfbEvent ev)
    {
        if (_events.TryDequeue(out var e))
        {
            ev = e;
            return true;
        }
        ev = null!;
        return false;
    }

    private void Emit(RfbEvent ev)
    {
        if (_options.QueueEvents) _events.Enqueue(ev);
    }

    /// <summary>Runs both directions until neither can move: the server waits on the client's choices, the client's framing on the server's announcements.</summary>
    private void Pump()
    {
        try
        {
            bool progress;
            do
            {
                progress = false;
                while (_serverPhase != ServerPhase.Closed && StepServer(_fromServer.Span, out var n))
                {
                    _fromServer.Consume(n);
                    ServerBytesProcessed += n;
                    progress = true;
                }
                while (_serverPhase != ServerPhase.Closed && _clientPhase != ClientPhase.Closed && StepClient(_fromClient.Span, out var n))
                {
                    _fromClient.Consume(n);
                    ClientBytesProcessed += n;
                    progress = true;
                }
            }
            while (progress);
            if (_serverPhase == ServerPhase.Closed)
            {
                _fromServer.Clear();
                _fromClient.Clear();
            }
        }
        catch
        {
            _broken = true;
            _serverPhase = ServerPhase.Closed;
            throw;
        }
    }

    /// <summary>Adds the stream offset and the direction to a decoder's error.</summary>
    private static DecodeException InStream(DecodeException e, long streamOffset, string direction) =>
        new(e.What, streamOffset + Math.Max(e.Offset, 0), $"{e.Why} ({direction} stream)");
}
