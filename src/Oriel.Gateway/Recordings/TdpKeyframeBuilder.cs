using System.Buffers;
using Oriel.Graphics;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Draws a whole screen as TDP messages on an empty canvas: DesktopSize first, then PNG tiles (TDP 27) of
/// <see cref="TileSize"/> pixels covering the framebuffer, then the cursor shape when there is one. A recording's
/// keyframes (<see cref="TdpRecorder"/>) and a live view's picture for a joining or resynchronised watcher
/// (<see cref="Sessions.LiveWatcher"/>) are made by it. It has its own PNG encoder, so the session's encoder and its cache
/// are untouched. One builder is used by one caller at a time; what <see cref="Build"/> returns is valid until the next call.
/// </summary>
public sealed class TdpKeyframeBuilder
{
    /// <summary>Side of the square PNG tiles a keyframe draws the screen with.</summary>
    public const int TileSize = 256;

    private readonly PngEncoder _png = new();
    private readonly ArrayBufferWriter<byte> _tile = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _keyframe = new(256 * 1024);
    private readonly List<(int Offset, int Length)> _parts = [];

    /// <summary>
    /// The whole of <paramref name="fb"/> as encoded TDP messages, with <paramref name="cursor"/> (one whole encoded
    /// CursorShape message, or empty) last. The memory is the builder's, valid until the next call.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Build(Framebuffer fb, ReadOnlySpan<byte> cursor)
    {
        ArgumentNullException.ThrowIfNull(fb);
        _keyframe.ResetWrittenCount();
        _parts.Clear();

        var start = _keyframe.WrittenCount;
        var n = TdpCodec.Encode(new DesktopSizeMessage((uint)fb.Width, (uint)fb.Height), _keyframe.GetSpan(DesktopSizeMessage.FixedSize));
        _keyframe.Advance(n);
        _parts.Add((start, n));

        for (var y = 0; y < fb.Height; y += TileSize)
        {
            for (var x = 0; x < fb.Width; x += TileSize)
            {
                var area = new Rect(x, y, Math.Min(TileSize, fb.Width - x), Math.Min(TileSize, fb.Height - y));
                _tile.ResetWrittenCount();
                var length = _png.Encode(fb, area, _tile);
                start = _keyframe.WrittenCount;
                var message = _keyframe.GetSpan(PngFrame2Message.HeaderSize + length);
                PngFrame2Message.WriteHeader(message, (uint)area.X, (uint)area.Y, (uint)area.Right, (uint)area.Bottom, length);
                _tile.WrittenSpan.CopyTo(message[PngFrame2Message.HeaderSize..]);
                _keyframe.Advance(PngFrame2Message.HeaderSize + length);
                _parts.Add((start, PngFrame2Message.HeaderSize + length));
            }
        }

        if (!cursor.IsEmpty)
        {
            start = _keyframe.WrittenCount;
            cursor.CopyTo(_keyframe.GetSpan(cursor.Length));
            _keyframe.Advance(cursor.Length);
            _parts.Add((start, cursor.Length));
        }

        var written = _keyframe.WrittenMemory;
        var messages = new ReadOnlyMemory<byte>[_parts.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = written.Slice(_parts[i].Offset, _parts[i].Length);
        }
        return messages;
    }
}
