using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb;

/// <summary>Server-to-client messages in the normal phase ([RFC 6143] 7.6) and the pseudo-encodings they carry.</summary>
public sealed partial class RfbClient
{
    /// <summary>DesktopName pseudo-encoding, rfbproto "DesktopName Pseudo-encoding": name-length u32, name (UTF-8).</summary>
    public const int DesktopNamePseudoEncoding = -307;

    private PixelConverter? _pixels;
    private RectangleContext? _context;

    private bool _inUpdate;
    private int _rectanglesLeft;
    private IRectangleDecoder? _decoder;

    /// <summary>The server sent ExtendedDesktopSize, so it accepts SetDesktopSize.</summary>
    private bool _serverSupportsSetDesktopSize;
    private IReadOnlyList<DesktopScreen> _screens = [];

    private bool StepNormal(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (_inUpdate) return StepRectangle(input, out consumed);
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
                _inUpdate = true;
                if (_rectanglesLeft == 0) FinishUpdate();
                return true;
            }
            case RfbMessageType.SetColourMapEntries:
            {
                if (!SetColourMapEntriesMessage.TryFrame(input, out var len)) return false;
                var r = new SpanReader(input[..len], "SetColourMapEntries");
                var message = SetColourMapEntriesMessage.Decode(ref r);
                consumed = len;
                var map = _pixels!.ColourMap;
                for (var i = 0; i < message.Colours.Count; i++)
                {
                    var index = message.FirstColour + i;
                    if (index < map.Length) map[index] = message.Colours[i].ToRgb();
                }
                return true;
            }
            case RfbMessageType.Bell:
                consumed = BellMessage.Length;
                Emit(RfbBell.Instance);
                return true;
            case RfbMessageType.ServerCutText:
            {
                if (!ServerCutTextMessage.TryFrame(input, _options.MaxClipboardBytes, out var len)) return false;
                var r = new SpanReader(input[..len], "ServerCutText");
                var message = ServerCutTextMessage.Decode(ref r, _options.MaxClipboardBytes);
                consumed = len;
                OnServerCutText(message);
                return true;
            }
            default:
                throw new DecodeException("server message", 0, $"unknown message type {input[0]}");
        }
    }

    private bool StepRectangle(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (_decoder is { } decoder)
        {
            var n = decoder.Decode(input, _context!, out var complete);
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
        var fb = Framebuffer!;
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
                _serverSupportsSetDesktopSize = true;
                if (header.X == 1 && header.Y != 0)
                {
                    // Our SetDesktopSize was refused; the other fields are undefined.
                    Emit(new RfbDesktopSizeRefused(header.Y));
                }
                else
                {
                    _screens = layout.Screens;
                    ResizeFramebuffer(header.Width, header.Height, "ExtendedDesktopSize");
                }
                RectangleDone();
                return true;
            }

            case RfbEncodingType.Cursor:
            {
                var pixels = _pixels!;
                var len = CursorPseudoEncoding.PayloadLength(header.Width, header.Height, pixels.BytesPerPixel);
                if (payload.Length < len) return false;
                var rgba = CursorPseudoEncoding.DecodeRgba(payload[..len], header.Width, header.Height, pixels);
                consumed = RectangleHeader.Length + len;
                var hotX = header.Width == 0 ? 0 : Math.Min((int)header.X, header.Width - 1);
                var hotY = header.Height == 0 ? 0 : Math.Min((int)header.Y, header.Height - 1);
                Emit(new RfbCursorShape(hotX, hotY, header.Width, header.Height, rgba));
                RectangleDone();
                return true;
            }

            case DesktopNamePseudoEncoding:
            {
                if (!ReasonString.TryFrame(payload, ServerInitMessage.MaxNameLength, "DesktopName", out var len)) return false;
                var pr = new SpanReader(payload[..len], "DesktopName");
                var name = ReasonString.Decode(ref pr, ServerInitMessage.MaxNameLength);
                consumed = RectangleHeader.Length + len;
                DesktopName = name;
                Emit(new RfbDesktopNameChanged(name));
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
                d.Begin(rect, _context!);
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
        _inUpdate = false;
        _decoder = null;
        _rectanglesLeft = 0;
        Emit(RfbUpdateCompleted.Instance);
    }

    private void ResizeFramebuffer(int width, int height, string what)
    {
        if (!Framebuffer.IsValidSize(width, height))
        {
            throw new DecodeException(what, 0, $"framebuffer size {width}x{height} is not acceptable");
        }
        var fb = Framebuffer!;
        if (fb.Width == width && fb.Height == height) return;
        fb.Resize(width, height);
        Emit(new RfbFramebufferResized(width, height));
    }
}
