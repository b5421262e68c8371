using Oriel.Recording;
using Oriel.Tdp;

namespace Oriel.Testing;

/// <summary>
/// A small, independent player of <c>tdp</c> recordings for tests: draws the TDP messages of ServerData records onto a
/// canvas (desktop size, PNG frames decoded by <see cref="PngTestDecoder"/>, copy rects, and JPEG frames through the
/// decoder given), and plays from a keyframe the way a seeking player does: the keyframe's messages on an empty canvas,
/// then the ServerData records after it. Linear play skips keyframes.
/// </summary>
public sealed class TdpTestPlayer
{
    private readonly Action<byte[], int, int, uint[]>? _jpeg;

    /// <param name="jpeg">Decodes a JPEG of the given size into 0x00RRGGBB pixels; null: a JPEG frame fails the play.</param>
    public TdpTestPlayer(Action<byte[], int, int, uint[]>? jpeg = null) => _jpeg = jpeg;

    public int Width { get; private set; }

    public int Height { get; private set; }

    /// <summary>The canvas, row-major, 0x00RRGGBB.</summary>
    public uint[] Pixels { get; private set; } = [];

    /// <summary>The last cursor shape drawn, if any.</summary>
    public CursorShapeMessage? Cursor { get; private set; }

    /// <summary>Frame markers seen.</summary>
    public int Frames { get; private set; }

    public uint At(int x, int y) => Pixels[(y * Width) + x];

    /// <summary>Every ServerData record in order, keyframes skipped.</summary>
    public static TdpTestPlayer PlayLinear(IReadOnlyList<StreamRecord> records, Action<byte[], int, int, uint[]>? jpeg = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var player = new TdpTestPlayer(jpeg);
        foreach (var r in records)
        {
            if (r.Kind == StreamRecordKind.ServerData)
            {
                player.ApplyAll(r.Payload);
            }
        }
        return player;
    }

    /// <summary>Indexes of the Sync records that start keyframes.</summary>
    public static IReadOnlyList<int> KeyframeStarts(IReadOnlyList<StreamRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var starts = new List<int>();
        for (var i = 0; i + 1 < records.Count; i++)
        {
            if (records[i].Kind == StreamRecordKind.Sync && records[i + 1].Kind == StreamRecordKind.Keyframe)
            {
                starts.Add(i);
            }
        }
        return starts;
    }

    /// <summary>
    /// From the keyframe whose Sync record is at <paramref name="syncIndex"/>: its parts on an empty canvas, then, up to
    /// record <paramref name="endIndex"/> (exclusive; all when null), the ServerData records after it.
    /// </summary>
    public static TdpTestPlayer PlayFromKeyframe(IReadOnlyList<StreamRecord> records, int syncIndex, int? endIndex = null, Action<byte[], int, int, uint[]>? jpeg = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records[syncIndex].Kind != StreamRecordKind.Sync) throw new ArgumentException("not a Sync record", nameof(syncIndex));
        var player = new TdpTestPlayer(jpeg);
        var i = syncIndex + 1;
        var last = false;
        while (!last)
        {
            if (i >= records.Count || records[i].Kind != StreamRecordKind.Keyframe) throw new InvalidDataException($"keyframe at record {syncIndex} has no last part");
            if (records[i].TimeMicroseconds != records[syncIndex].TimeMicroseconds) throw new InvalidDataException("a keyframe part has another time than its Sync");
            var messages = KeyframePart.ParseMessages(records[i].Payload, out last);
            player.ApplyAll(messages);
            i++;
        }
        for (; i < (endIndex ?? records.Count); i++)
        {
            if (records[i].Kind == StreamRecordKind.ServerData)
            {
                player.ApplyAll(records[i].Payload);
            }
        }
        return player;
    }

    /// <summary>Draws whole TDP messages, one after another.</summary>
    public void ApplyAll(ReadOnlyMemory<byte> messages)
    {
        foreach (var m in TdpMessageSplitter.Split(messages))
        {
            Apply(TdpCodec.Decode(m.Span));
        }
    }

    public void Apply(TdpMessage message)
    {
        switch (message)
        {
            case DesktopSizeMessage size:
                Width = (int)size.Width;
                Height = (int)size.Height;
                Pixels = new uint[Width * Height];
                break;
            case PngFrame2Message png:
                Blit((int)png.Left, (int)png.Top, PngTestDecoder.Decode(png.Data).Pixels, (int)(png.Right - png.Left), (int)(png.Bottom - png.Top));
                break;
            case PngFrameMessage png:
                Blit((int)png.Left, (int)png.Top, PngTestDecoder.Decode(png.Data).Pixels, (int)(png.Right - png.Left), (int)(png.Bottom - png.Top));
                break;
            case JpegFrameMessage jpeg:
                var w = (int)(jpeg.Right - jpeg.Left);
                var h = (int)(jpeg.Bottom - jpeg.Top);
                var pixels = new uint[w * h];
                (_jpeg ?? throw new InvalidDataException("a JPEG frame, and no JPEG decoder"))(jpeg.Data, w, h, pixels);
                Blit((int)jpeg.Left, (int)jpeg.Top, pixels, w, h);
                break;
            case CopyRectMessage copy:
                Copy(copy);
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

    private void Blit(int left, int top, uint[] source, int width, int height)
    {
        if (left + width > Width || top + height > Height) throw new InvalidDataException($"a {width}x{height} tile at ({left},{top}) is outside the {Width}x{Height} canvas");
        for (var y = 0; y < height; y++)
        {
            source.AsSpan(y * width, width).CopyTo(Pixels.AsSpan(((top + y) * Width) + left, width));
        }
    }

    private void Copy(CopyRectMessage c)
    {
        int sx = (int)c.SrcLeft, sy = (int)c.SrcTop, w = (int)c.Width, h = (int)c.Height, dx = (int)c.DstLeft, dy = (int)c.DstTop;
        var copy = new uint[w * h];
        for (var y = 0; y < h; y++)
        {
            Pixels.AsSpan(((sy + y) * Width) + sx, w).CopyTo(copy.AsSpan(y * w, w));
        }
        Blit(dx, dy, copy, w, h);
    }
}
