using System.Buffers;
using Oriel.Graphics;
using Oriel.Recording;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

public sealed partial class TdpRecorder
{
    /// <summary>Side of the square PNG tiles a keyframe draws the screen with.</summary>
    public const int KeyframeTileSize = 256;

    private readonly PngEncoder _png = new();
    private readonly ArrayBufferWriter<byte> _tile = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _keyframe = new(256 * 1024);
    private readonly List<(int Offset, int Length)> _parts = [];

    /// <summary>
    /// Under the file's lock, at a frame boundary: a keyframe is due when the surface is attached and open, nothing is
    /// pending on it (so the framebuffer is what the browser's canvas shows), the screen changed since the last
    /// keyframe, and there has been none yet or the last is <see cref="KeyframeInterval"/> old.
    /// </summary>
    private bool KeyframeDue() =>
        _surface is { IsOpen: true, HasPendingUpdate: false, Framebuffer: not null }
        && _changedSinceKeyframe
        && (!_keyframeTaken || _time.GetElapsedTime(_lastKeyframe) >= KeyframeInterval);

    /// <summary>
    /// Under the file's lock: the whole screen as TDP messages — DesktopSize, PNG tiles (TDP 27) covering it, the
    /// current cursor shape — encoded by the recorder's own PNG encoder, written as one keyframe.
    /// </summary>
    private void WriteKeyframe()
    {
        var fb = _surface!.Framebuffer!;
        _keyframe.ResetWrittenCount();
        _parts.Clear();

        var start = _keyframe.WrittenCount;
        var n = TdpCodec.Encode(new DesktopSizeMessage((uint)fb.Width, (uint)fb.Height), _keyframe.GetSpan(DesktopSizeMessage.FixedSize));
        _keyframe.Advance(n);
        _parts.Add((start, n));

        for (var y = 0; y < fb.Height; y += KeyframeTileSize)
        {
            for (var x = 0; x < fb.Width; x += KeyframeTileSize)
            {
                var area = new Rect(x, y, Math.Min(KeyframeTileSize, fb.Width - x), Math.Min(KeyframeTileSize, fb.Height - y));
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

        if (_cursor is { } cursor)
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
        File.Writer.AppendKeyframe(File.Now(), messages);
        Keyframes++;
        _keyframeTaken = true;
        _changedSinceKeyframe = false;
        _lastKeyframe = _time.GetTimestamp();
    }
}
