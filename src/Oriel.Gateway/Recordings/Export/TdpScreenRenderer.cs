using System.Buffers.Binary;
using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// Draws the TDP messages a gateway sent to a browser (docs/tdp.md) into a framebuffer, as the browser's
/// canvas would: desktop size (103) resizes it (keeping the top-left content, new area black), PNG frames
/// (2, 27) and JPEG frames (106) draw their image with its top-left corner at (left, top), copy rect (104)
/// copies, cursor shape (102) is kept so a frame can show it where the pointer is (mouse moves (3) from the
/// recorded input, when the recording has them). Everything else (frame markers, notifications, input)
/// draws nothing. The bytes are a stream: <see cref="FeedServer"/> takes any slices of it and frames whole
/// messages with <see cref="TdpCodec.TryGetMessageLength"/>, so a record boundary may fall anywhere.
/// Malformed messages and images throw <see cref="DecodeException"/>. Not thread-safe.
/// </summary>
public sealed class TdpScreenRenderer
{
    private const string What = "TDP recording";

    private readonly TdpStreamFramer _server = new();
    private readonly TdpStreamFramer _client = new();
    private readonly PngDecoder _png;
    private readonly JpegCodec? _jpeg;

    /// <param name="jpeg">Decodes JPEG frames (106); null when the host has no JPEG library, and then a JPEG frame is an error. Not owned.</param>
    /// <param name="maxPixels">The largest image or desktop accepted, in pixels.</param>
    public TdpScreenRenderer(JpegCodec? jpeg, long maxPixels = Framebuffer.MaxPixels)
    {
        _jpeg = jpeg;
        _png = new PngDecoder(maxPixels);
        MaxPixels = maxPixels;
    }

    /// <summary>The largest desktop or image accepted, in pixels.</summary>
    public long MaxPixels { get; }

    /// <summary>The screen, or null before the first desktop size.</summary>
    public Framebuffer? Screen { get; private set; }

    /// <summary>Increases whenever the screen's pixels or the cursor may have changed.</summary>
    public long Version { get; private set; }

    /// <summary>The current cursor image, or null when hidden or never sent.</summary>
    public CursorShapeMessage? Cursor { get; private set; }

    /// <summary>The pointer position from the last recorded mouse move, or null when none was recorded.</summary>
    public (int X, int Y)? Pointer { get; private set; }

    /// <summary>Images that arrived before any desktop size (nothing to draw them on); dropped.</summary>
    public long DroppedImages { get; private set; }

    /// <summary>Takes bytes the gateway sent (ServerData records) and draws every whole message they complete.</summary>
    public void FeedServer(ReadOnlySpan<byte> bytes)
    {
        _server.Append(bytes);
        while (_server.TryTake(out var message))
        {
            Apply(message);
        }
    }

    /// <summary>Takes bytes the browser sent (ClientData records): only mouse moves matter, for the pointer position.</summary>
    public void FeedClient(ReadOnlySpan<byte> bytes)
    {
        _client.Append(bytes);
        while (_client.TryTake(out var message))
        {
            if (message[0] == (byte)TdpMessageType.MouseMove && TdpCodec.Decode(message) is MouseMoveMessage move)
            {
                Pointer = ((int)Math.Min(move.X, TdpLimits.MaxScreenSide), (int)Math.Min(move.Y, TdpLimits.MaxScreenSide));
                if (Cursor is not null)
                {
                    Version++;
                }
            }
        }
    }

    /// <summary>Draws one whole message.</summary>
    public void Apply(ReadOnlySpan<byte> message)
    {
        switch ((TdpMessageType)message[0])
        {
            case TdpMessageType.PngFrame2:
            case TdpMessageType.JpegFrame:
                // Fixed 21-byte header, then the image: read in place, without copying the image out.
                TdpCodec.TryGetMessageLength(message, out var length);
                if (length != message.Length)
                {
                    throw new DecodeException(TdpCodec.NameOf((TdpMessageType)message[0])!, 0, $"message of {message.Length} bytes, its length field says {length}");
                }
                DrawImage((TdpMessageType)message[0], Be32(message, 5), Be32(message, 9), message[PngFrame2Message.HeaderSize..]);
                return;
            case TdpMessageType.PngFrame:
                TdpCodec.Decode(message); // checks the fields and the cap
                DrawImage(TdpMessageType.PngFrame, Be32(message, 1), Be32(message, 5), message[PngFrameMessage.HeaderSize..]);
                return;
        }
        switch (TdpCodec.Decode(message))
        {
            case DesktopSizeMessage size:
                Resize((int)size.Width, (int)size.Height);
                break;
            case CopyRectMessage copy:
                Copy(copy);
                break;
            case CursorShapeMessage cursor:
                Cursor = cursor.IsHidden ? null : cursor;
                Version++;
                break;
            default:
                break; // frame markers, notifications, input echoes: nothing to draw
        }
    }

    private static uint Be32(ReadOnlySpan<byte> message, int at) => BinaryPrimitives.ReadUInt32BigEndian(message[at..]);

    private void Resize(int width, int height)
    {
        if ((long)width * height > MaxPixels)
        {
            throw new DecodeException(TdpCodec.NameOf(TdpMessageType.DesktopSize)!, 1, $"desktop {width}x{height} exceeds the cap of {MaxPixels} pixels");
        }
        if (Screen is null)
        {
            Screen = new Framebuffer(width, height);
        }
        else
        {
            Screen.Resize(width, height);
        }
        Version++;
    }

    private void DrawImage(TdpMessageType type, uint left, uint top, ReadOnlySpan<byte> data)
    {
        if (Screen is not { } screen)
        {
            DroppedImages++;
            return;
        }
        // Beyond the canvas nothing shows; positions past 2^31 cannot reach it.
        if (left >= (uint)screen.Width || top >= (uint)screen.Height)
        {
            if (type == TdpMessageType.JpegFrame)
            {
                CheckJpeg(data);
            }
            else
            {
                PngDecoder.ReadHeader(data);
            }
            return;
        }
        if (type == TdpMessageType.JpegFrame)
        {
            DrawJpeg(screen, (int)left, (int)top, data);
        }
        else
        {
            _png.Draw(data, screen, (int)left, (int)top);
        }
        Version++;
    }

    private JpegCodec Jpeg => _jpeg ?? throw new DecodeException(
        TdpCodec.NameOf(TdpMessageType.JpegFrame)!, 0, "the recording has JPEG frames and this host has no JPEG library (install libturbojpeg0)");

    private void CheckJpeg(ReadOnlySpan<byte> data) => Jpeg.ReadSize(data);

    private void DrawJpeg(Framebuffer screen, int left, int top, ReadOnlySpan<byte> data)
    {
        var (width, height) = Jpeg.ReadSize(data);
        // The frame header may claim up to 65535 a side: refuse what no screen image is before anything is sized by it.
        if (!Framebuffer.IsValidSize(width, height) || (long)width * height > MaxPixels)
        {
            throw new DecodeException(TdpCodec.NameOf(TdpMessageType.JpegFrame)!, 0, $"image {width}x{height} exceeds the caps ({Framebuffer.MaxSide} a side, {MaxPixels} pixels)");
        }
        var area = new Rect(left, top, width, height);
        if (screen.Contains(area))
        {
            Jpeg.Decode(data, screen, area);
            return;
        }
        // Partly outside the canvas: decode aside, then draw the part inside.
        var pixels = new uint[width * height];
        Jpeg.Decode(data, width, height, pixels);
        var visible = area.Intersect(screen.Bounds);
        for (var y = visible.Y; y < visible.Bottom; y++)
        {
            pixels.AsSpan(((y - top) * width) + (visible.X - left), visible.Width).CopyTo(screen.Row(y).Slice(visible.X, visible.Width));
        }
    }

    private void Copy(CopyRectMessage copy)
    {
        if (Screen is not { } screen || copy.Width == 0 || copy.Height == 0)
        {
            return;
        }
        // The codec keeps both rectangles inside 16384 x 16384; the canvas may be smaller. Pixels outside it
        // do not exist: copy the part whose source and destination both lie on the canvas.
        var dx = (int)copy.DstLeft - (int)copy.SrcLeft;
        var dy = (int)copy.DstTop - (int)copy.SrcTop;
        var source = new Rect((int)copy.SrcLeft, (int)copy.SrcTop, (int)copy.Width, (int)copy.Height)
            .Intersect(screen.Bounds)
            .Intersect(screen.Bounds.Offset(-dx, -dy));
        if (source.IsEmpty)
        {
            return;
        }
        screen.CopyRect(source, source.X + dx, source.Y + dy);
        Version++;
    }
}
