using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Tdp;

namespace Oriel.Testing;

/// <summary>
/// A browser's canvas for tests, independent of the gateway's encoders: applies the TDP messages a desktop session
/// (or a TDP recording) sends, in order. Desktop size (103) starts an empty canvas of that size; PNG frames (2 and
/// 27) are decoded with <see cref="PngTestDecoder"/>; JPEG frames (106) with the codec given (or refused without
/// one); copy rect (104) moves pixels; the cursor shape (101) and frame markers (100) are counted. Anything else
/// is ignored. Pixels are 0x00RRGGBB.
/// </summary>
public sealed class TdpCanvas(JpegCodec? jpeg = null)
{
    /// <summary>The canvas; null before the first desktop size.</summary>
    public Framebuffer? Screen { get; private set; }

    public int PngTiles { get; private set; }

    public int JpegTiles { get; private set; }

    public int Copies { get; private set; }

    public int Frames { get; private set; }

    public CursorShapeMessage? Cursor { get; private set; }

    /// <summary>Applies every whole message in <paramref name="messages"/> (one record's payload).</summary>
    public void ApplyAll(ReadOnlySpan<byte> messages)
    {
        while (!messages.IsEmpty)
        {
            if (!TdpCodec.TryGetMessageLength(messages, out var length)) throw new InvalidDataException("a partial TDP message");
            Apply(TdpCodec.Decode(messages[..length]));
            messages = messages[length..];
        }
    }

    public void Apply(TdpMessage message)
    {
        switch (message)
        {
            case DesktopSizeMessage size:
                Screen = new Framebuffer((int)size.Width, (int)size.Height);
                break;
            case PngFrame2Message png:
                DrawPng(new Rect((int)png.Left, (int)png.Top, (int)(png.Right - png.Left), (int)(png.Bottom - png.Top)), png.Data);
                break;
            case PngFrameMessage png:
                DrawPng(new Rect((int)png.Left, (int)png.Top, (int)(png.Right - png.Left), (int)(png.Bottom - png.Top)), png.Data);
                break;
            case JpegFrameMessage j:
                var area = new Rect((int)j.Left, (int)j.Top, (int)(j.Right - j.Left), (int)(j.Bottom - j.Top));
                (jpeg ?? throw new InvalidDataException("a JPEG frame and no codec")).Decode(j.Data, Need(area), area);
                for (var y = area.Y; y < area.Bottom; y++)
                {
                    foreach (ref var p in Screen!.Row(y).Slice(area.X, area.Width)) p &= 0xFFFFFF;
                }
                JpegTiles++;
                break;
            case CopyRectMessage c:
                Need(new Rect((int)c.DstLeft, (int)c.DstTop, (int)c.Width, (int)c.Height)).CopyRect(new Rect((int)c.SrcLeft, (int)c.SrcTop, (int)c.Width, (int)c.Height), (int)c.DstLeft, (int)c.DstTop);
                Copies++;
                break;
            case CursorShapeMessage cursor:
                Cursor = cursor;
                break;
            case FrameMarkerMessage:
                Frames++;
                break;
            default:
                break;
        }
    }

    private void DrawPng(Rect area, byte[] data)
    {
        var image = PngTestDecoder.Decode(data);
        if (image.Width != area.Width || image.Height != area.Height) throw new InvalidDataException($"a {image.Width}x{image.Height} PNG for {area}");
        Need(area).Write(area, image.Pixels);
        PngTiles++;
    }

    private Framebuffer Need(Rect area)
    {
        var screen = Screen ?? throw new InvalidDataException("an image before the desktop size");
        if (!screen.Contains(area)) throw new InvalidDataException($"{area} outside the {screen.Width}x{screen.Height} canvas");
        return screen;
    }

    /// <summary>Pixels that differ from <paramref name="expected"/> (compared as 0x00RRGGBB), and the first one's index.</summary>
    public int CountDifferences(ReadOnlySpan<uint> expected, out int first)
    {
        first = -1;
        var pixels = Screen!.Pixels;
        if (pixels.Length != expected.Length) throw new ArgumentException($"{pixels.Length} pixels against {expected.Length}");
        var n = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            if ((pixels[i] & 0xFFFFFF) == (expected[i] & 0xFFFFFF)) continue;
            if (n++ == 0) first = i;
        }
        return n;
    }
}
