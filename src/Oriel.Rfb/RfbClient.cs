using System.Buffers;
using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb;

/// <summary>
/// The client side of RFB ([RFC 6143], protocol versions 3.3, 3.7 and 3.8, with VeNCrypt and the
/// common pseudo-encodings), as a sans-IO state machine: the driver hands received bytes to
/// <see cref="Receive"/>, sends what <see cref="TakeOutput"/> gives it, and reacts to events from
/// <see cref="TryDequeueEvent"/>. No sockets, tasks or clocks. Not thread-safe: the driver
/// serialises calls.
/// </summary>
public sealed partial class RfbClient
{
    private readonly RfbClientOptions _options;
    private readonly IFramebufferSink _sink;
    private readonly Queue<RfbEvent> _events = new();

    private readonly ByteQueue _in = new();

    private byte[] _out = new byte[1024];
    private int _outLength;

    public RfbClient(RfbClientOptions options, IFramebufferSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        if (options.MaxClipboardBytes < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxClipboardBytes must not be negative");
        if (options.JpegQuality is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(options), "JpegQuality must be null (lossless) or 0..9");
        _options = options;
        _sink = sink;
    }

    /// <summary>The protocol phase.</summary>
    public RfbPhase Phase { get; private set; } = RfbPhase.ProtocolVersion;

    /// <summary>
    /// True when the server's stream stopped inside a message: unprocessed bytes are buffered, or a
    /// FramebufferUpdate has rectangles still to come. A connection that closes now was cut short.
    /// </summary>
    public bool IsMidMessage => _in.Length > 0 || (_server?.InUpdate ?? false);

    /// <summary>The protocol version in use, once negotiated.</summary>
    public ProtocolVersionMessage? Version { get; private set; }

    /// <summary>Created at ServerInit, resized by DesktopSize / ExtendedDesktopSize.</summary>
    public Framebuffer? Framebuffer { get; private set; }

    /// <summary>The desktop name from ServerInit (or the DesktopName pseudo-encoding).</summary>
    public string? DesktopName => _server?.DesktopName;

    /// <summary>The server's pixel format from ServerInit (the client asks for <see cref="PixelFormat.Rgb888"/> regardless).</summary>
    public PixelFormat? ServerPixelFormat { get; private set; }

    /// <summary>True when bytes are waiting to be sent.</summary>
    public bool HasOutput => _outLength > 0;

    /// <summary>
    /// Takes in bytes from the server, buffers what is incomplete, and processes everything it can.
    /// Any chunking works. On malformed input throws <see cref="DecodeException"/>; on a security
    /// failure throws <see cref="RfbSecurityException"/>; either way the phase becomes <see cref="RfbPhase.Closed"/>.
    /// While paused for TLS (<see cref="RfbPhase.TlsHandshake"/>) bytes are only buffered.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> data)
    {
        if (Phase == RfbPhase.Closed) throw new InvalidOperationException("the RFB session is closed");
        _in.Append(data);
        Pump();
    }

    /// <summary>Moves every pending output byte to <paramref name="destination"/>; returns how many.</summary>
    public int TakeOutput(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var n = _outLength;
        if (n == 0) return 0;
        var span = destination.GetSpan(n);
        _out.AsSpan(0, n).CopyTo(span);
        destination.Advance(n);
        _out.AsSpan(0, n).Clear(); // credentials pass through here
        _outLength = 0;
        return n;
    }

    /// <summary>
    /// Moves out the server bytes received but not processed: in <see cref="RfbPhase.Authenticated"/>, whatever
    /// the server sent after SecurityResult (normally nothing, since the server waits for ClientInit), and
    /// anything <see cref="Receive"/> takes in afterwards. Empty when nothing is buffered.
    /// </summary>
    public byte[] TakeUnprocessedInput()
    {
        var bytes = _in.Span.ToArray();
        _in.Clear();
        return bytes;
    }

    /// <summary>Takes the oldest event, if any.</summary>
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

    private void Emit(RfbEvent ev) => _events.Enqueue(ev);

    private void Pump()
    {
        try
        {
            while (Phase is not (RfbPhase.TlsHandshake or RfbPhase.Closed))
            {
                if (!Step(_in.Span, out var consumed)) break;
                _in.Consume(consumed); // throws if a step claims more than was buffered
            }
        }
        catch
        {
            Phase = RfbPhase.Closed;
            throw;
        }
    }

    /// <summary>Handles one unit (a message, a rectangle header, a decoder step); false when more bytes are needed.</summary>
    private bool Step(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        return Phase switch
        {
            RfbPhase.Normal => StepNormal(input, out consumed),
            RfbPhase.ProtocolVersion => StepProtocolVersion(input, out consumed),
            RfbPhase.Security => StepSecurity(input, out consumed),
            RfbPhase.VncAuthentication => StepVncAuthentication(input, out consumed),
            RfbPhase.VeNCryptVersion => StepVeNCryptVersion(input, out consumed),
            RfbPhase.VeNCryptVersionAck => StepVeNCryptVersionAck(input, out consumed),
            RfbPhase.VeNCryptSubtypes => StepVeNCryptSubtypes(input, out consumed),
            RfbPhase.VeNCryptSubtypeAck => StepVeNCryptSubtypeAck(input, out consumed),
            RfbPhase.SecurityResult => StepSecurityResult(input, out consumed),
            RfbPhase.ServerInit => StepServerInit(input, out consumed),
            _ => false,
        };
    }

    private void Send<T>(T message)
        where T : IRfbClientMessage
    {
        var size = message.Size;
        if (_out.Length - _outLength < size)
        {
            var next = new byte[Math.Max(_outLength + size, _out.Length * 2)];
            _out.AsSpan(0, _outLength).CopyTo(next);
            _out.AsSpan(0, _outLength).Clear();
            _out = next;
        }
        var w = new SpanWriter(_out.AsSpan(_outLength, size));
        message.Encode(ref w);
        if (w.Position != size) throw new InvalidOperationException($"{typeof(T).Name} wrote {w.Position} bytes, expected {size}");
        _outLength += size;
    }
}
