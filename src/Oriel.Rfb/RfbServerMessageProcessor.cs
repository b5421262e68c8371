using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb;

/// <summary>
/// Server-to-client messages of the normal phase ([RFC 6143] 7.6) and the pseudo-encodings they carry,
/// applied to a framebuffer: the one implementation shared by the live engine (<see cref="RfbClient"/>)
/// and the passive replay observer (<see cref="Replay.RfbStreamObserver"/>). It reads one unit (a
/// message, a rectangle header, a decoder step) per <see cref="Step"/> and reports what happened
/// through the callbacks it was given. With <c>passthroughExtensions</c> it also understands the
/// messages and pseudo-encodings a stock noVNC asks for and the engine does not (Fence,
/// EndOfContinuousUpdates, xvp, QEMU extended key event and LED state, extended mouse buttons,
/// VMware cursor): the observer sees sessions it did not negotiate.
/// </summary>
internal sealed class RfbServerMessageProcessor
{
    /// <summary>rfbproto "Fence": flags u32, length u8, payload of at most 64 bytes.</summary>
    internal const byte FenceMessageType = 248;

    /// <summary>rfbproto "EndOfContinuousUpdates": the message type alone.</summary>
    internal const byte EndOfContinuousUpdatesMessageType = 150;

    /// <summary>rfbproto "xvp Server Message": padding, version, code.</summary>
    internal const byte XvpMessageType = 250;

    internal const int QemuExtendedKeyEventPseudoEncoding = -258;
    internal const int QemuLedStatePseudoEncoding = -261;
    internal const int ExtendedMouseButtonsPseudoEncoding = -316;
    internal const int VMwareCursorPseudoEncoding = 0x574d5664;

    /// <summary>rfbproto: a fence payload is at most 64 bytes.</summary>
    internal const int MaxFencePayload = 64;

    private readonly RectangleDecoderSet _decoders;
    private readonly RectangleContext _context;
    private readonly int _maxClipboardBytes;
    private readonly Action<RfbEvent> _emit;
    private readonly Action<ServerCutTextMessage> _onServerCutText;
    private readonly bool _passthroughExtensions;

    private int _rectanglesLeft;
    private IRectangleDecoder? _decoder;

    public RfbServerMessageProcessor(
        Framebuffer framebuffer,
        PixelConverter pixels,
        IFramebufferSink sink,
        string desktopName,
        int maxClipboardBytes,
        Action<RfbEvent> emit,
        Action<ServerCutTextMessage> onServerCutText,
        bool passthroughExtensions = false,
        Oriel.Graphics.Jpeg.JpegCodec? jpeg = null)
    {
        _decoders = new RectangleDecoderSet(jpeg);
        Framebuffer = framebuffer;
        _context = new RectangleContext(framebuffer, pixels, sink);
        DesktopName = desktopName;
        _maxClipboardBytes = maxClipboardBytes;
        _emit = emit;
        _onServerCutText = onServerCutText;
        _passthroughExtensions = passthroughExtensions;
    }

    public Framebuffer Framebuffer { get; }

    /// <summary>How server pixels are read. Replacing it keeps the colour map.</summary>
    public PixelConverter Pixels
    {
        get => _context.Pixels;
        set
        {
            _context.Pixels.ColourMap.CopyTo(value.ColourMap);
            _context.Pixels = value;
        }
    }

    /// <summary>From ServerInit or the DesktopName pseudo-encoding.</summary>
    public string DesktopName { get; private set; }

    /// <summary>The server sent ExtendedDesktopSize, so it accepts SetDesktopSize.</summary>
    public bool ServerSupportsSetDesktopSize { get; private set; }

    /// <summary>The screen layout from the last ExtendedDesktopSize.</summary>
    public IReadOnlyList<DesktopScreen> Screens { get; private set; } = [];

    /// <summary>The server announced extended mouse buttons (pointer events may then carry an extra byte).</summary>
    public bool ServerSupportsExtendedMouseButtons { get; private set; }

    /// <summary>True between a FramebufferUpdate header and its last rectangle.</summary>
    public bool InUpdate { get; private set; }

    /// <summary>FramebufferUpdates completed so far.</summary>
    public long UpdatesCompleted { get; private set; }

    /// <summary>Handles one unit at the start of <paramref name="input"/>; false when more bytes are needed.</summary>
    public bool Step(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (InUpdate) return StepRectangle(input, out consumed);
        if (input.IsEmpty) return false;
        switch (input[0])
        {
            case RfbMessageType.FramebufferUpdate:
            {
                if (input.Length < FramebufferUpdateMessage.Length) return false;
                var r = new SpanReader(input[..FramebufferUpdateMessage.Length], "FramebufferUpdate");
                var header = FramebufferUpdateMessage.Decode(ref r);
                consumed = FramebufferUpdateMessage.Length;
                _rectanglesLeft = header.RectangleCount;
                InUpdate = true;
                if (_rectanglesLeft == 0) FinishUpdate();
                return true;
            }
            case RfbMessageType.SetColourMapEntries:
            {
                var map = Pixels.ColourMap;
                if (input.Length >= SetColourMapEntriesMessage.HeaderLength)
                {
                    // Checked on the header, before the colours are buffered: the map holds every pixel value an
                    // 8-bit colour-map format can name, so entries past it are malformed like any other bad length.
                    var first = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(input[2..]);
                    var count = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(input[4..]);
                    if (first + count > map.Length)
                    {
                        throw new DecodeException("SetColourMapEntries", 2,
                            $"first-colour {first} + number-of-colours {count} exceeds the colour map of {map.Length} entries");
                    }
                }
                if (!SetColourMapEntriesMessage.TryFrame(input, out var len)) return false;
                var r = new SpanReader(input[..len], "SetColourMapEntries");
                var message = SetColourMapEntriesMessage.Decode(ref r);
                consumed = len;
                for (var i = 0; i < message.Colours.Count; i++)
                {
                    map[message.FirstColour + i] = message.Colours[i].ToRgb();
                }
                return true;
            }
            case RfbMessageType.Bell:
                consumed = BellMessage.Length;
                _emit(RfbBell.Instance);
                return true;
            case RfbMessageType.ServerCutText:
            {
                if (!ServerCutTextMessage.TryFrame(input, _maxClipboardBytes, out var len)) return false;
                var r = new SpanReader(input[..len], "ServerCutText");
                var message = ServerCutTextMessage.Decode(ref r, _maxClipboardBytes);
                consumed = len;
                _onServerCutText(message);
                return true;
            }
            case EndOfContinuousUpdatesMessageType when _passthroughExtensions:
                consumed = 1;
                return true;
            case FenceMessageType when _passthroughExtensions:
            {
                // type, padding 3, flags u32, length u8, payload
                if (input.Length < 9) return false;
                var length = input[8];
                if (length > MaxFencePayload) throw new DecodeException("Fence", 8, $"payload length {length} exceeds the cap of {MaxFencePayload}");
                if (input.Length < 9 + length) return false;
                consumed = 9 + length;
                return true;
            }
            case XvpMessageType when _passthroughExtensions:
                if (input.Length < 4) return false;
                consumed = 4;
                return true;
            default:
                throw new DecodeException("server message", 0, $"unknown message type {input[0]}");
        }
    }

    private bool StepRectangle(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (_decoder is { } decoder)
        {
            var n = decoder.Decode(input, _context, out var complete);
            if ((uint)n > (uint)input.Length) throw new InvalidOperationException($"decoder {decoder.EncodingType} consumed {n} of {input.Length} bytes");
            consumed = n;
            if (!complete) return n > 0;
            _decoder = null;
            RectangleDone();
            return true;
        }

        if (input.Length < RectangleHeader.Length) return false;
        var r = new SpanReader(input[..RectangleHeader.Length], "FramebufferUpdate rectangle");
        var header = RectangleHeader.Decode(ref r);
        var payload = input[RectangleHeader.Length..];
        var fb = Framebuffer;
        switch (header.EncodingType)
        {
            case RfbEncodingType.LastRect:
                consumed = RectangleHeader.Length;
                FinishUpdate();
                return true;

            case RfbEncodingType.DesktopSize:
                consumed = RectangleHeader.Length;
                ResizeFramebuffer(header.Width, header.Height, "DesktopSize");
                RectangleDone();
                return true;

            case RfbEncodingType.ExtendedDesktopSize:
            {
                if (!ExtendedDesktopSizePayload.TryGetLength(payload, out var len) || payload.Length < len) return false;
                var pr = new SpanReader(payload[..len], "ExtendedDesktopSize");
                var layout = ExtendedDesktopSizePayload.Decode(ref pr);
                consumed = RectangleHeader.Length + len;
                ServerSupportsSetDesktopSize = true;
                if (header.X == 1 && header.Y != 0)
                {
                    // A SetDesktopSize was refused; the other fields are undefined.
                    _emit(new RfbDesktopSizeRefused(header.Y));
                }
                else
                {
                    Screens = layout.Screens;
                    ResizeFramebuffer(header.Width, header.Height, "ExtendedDesktopSize");
                }
                RectangleDone();
                return true;
            }

            case RfbEncodingType.Cursor:
            {
                var pixels = Pixels;
                var len = CursorPseudoEncoding.PayloadLength(header.Width, header.Height, pixels.BytesPerPixel);
                if (payload.Length < len) return false;
                var rgba = CursorPseudoEncoding.DecodeRgba(payload[..len], header.Width, header.Height, pixels);
                consumed = RectangleHeader.Length + len;
                var hotX = header.Width == 0 ? 0 : Math.Min((int)header.X, header.Width - 1);
                var hotY = header.Height == 0 ? 0 : Math.Min((int)header.Y, header.Height - 1);
                _emit(new RfbCursorShape(hotX, hotY, header.Width, header.Height, rgba));
                RectangleDone();
                return true;
            }

            case RfbClient.DesktopNamePseudoEncoding:
            {
                if (!ReasonString.TryFrame(payload, ServerInitMessage.MaxNameLength, "DesktopName", out var len)) return false;
                var pr = new SpanReader(payload[..len], "DesktopName");
                var name = ReasonString.Decode(ref pr, ServerInitMessage.MaxNameLength);
                consumed = RectangleHeader.Length + len;
                DesktopName = name;
                _emit(new RfbDesktopNameChanged(name));
                RectangleDone();
                return true;
            }

            case QemuExtendedKeyEventPseudoEncoding when _passthroughExtensions:
                consumed = RectangleHeader.Length;
                RectangleDone();
                return true;

            case ExtendedMouseButtonsPseudoEncoding when _passthroughExtensions:
                consumed = RectangleHeader.Length;
                ServerSupportsExtendedMouseButtons = true;
                RectangleDone();
                return true;

            case QemuLedStatePseudoEncoding when _passthroughExtensions:
                if (payload.Length < 1) return false;
                consumed = RectangleHeader.Length + 1;
                RectangleDone();
                return true;

            case VMwareCursorPseudoEncoding when _passthroughExtensions:
            {
                // cursor-type u8, padding u8, then classic (0): AND and XOR masks of w*h 32-bit pixels; alpha (1): w*h RGBA.
                if (header.Width > CursorPseudoEncoding.MaxSide || header.Height > CursorPseudoEncoding.MaxSide)
                {
                    throw new DecodeException("VMware cursor", 0, $"cursor size {header.Width}x{header.Height} is outside 0..{CursorPseudoEncoding.MaxSide} per side");
                }
                if (payload.Length < 2) return false;
                var pixels = (long)header.Width * header.Height * 4;
                var len = payload[0] switch
                {
                    0 => 2 + (2 * pixels),
                    1 => 2 + pixels,
                    _ => throw new DecodeException("VMware cursor", RectangleHeader.Length, $"unknown cursor type {payload[0]}"),
                };
                if (payload.Length < len) return false;
                consumed = RectangleHeader.Length + (int)len;
                RectangleDone();
                return true;
            }

            default:
            {
                if (!_decoders.TryGet(header.EncodingType, out var d))
                {
                    throw new DecodeException("FramebufferUpdate", 0, $"unknown encoding type {header.EncodingType}");
                }
                var rect = header.Rect;
                if (!fb.Contains(rect))
                {
                    throw new DecodeException("FramebufferUpdate", 0, $"rectangle {rect} outside the framebuffer {fb.Width}x{fb.Height}");
                }
                d.Begin(rect, _context);
                _decoder = d;
                consumed = RectangleHeader.Length;
                return true;
            }
        }
    }

    private void RectangleDone()
    {
        if (--_rectanglesLeft <= 0) FinishUpdate();
    }

    private void FinishUpdate()
    {
        InUpdate = false;
        _decoder = null;
        _rectanglesLeft = 0;
        UpdatesCompleted++;
        _emit(RfbUpdateCompleted.Instance);
    }

    private void ResizeFramebuffer(int width, int height, string what)
    {
        if (!Framebuffer.IsValidSize(width, height))
        {
            throw new DecodeException(what, 0, $"framebuffer size {width}x{height} is not acceptable");
        }
        var fb = Framebuffer;
        if (fb.Width == width && fb.Height == height) return;
        fb.Resize(width, height);
        _emit(new RfbFramebufferResized(width, height));
    }
}
