namespace Oriel.Gateway.Recordings;

public sealed partial class TdpRecorder
{
    /// <summary>Side of the square PNG tiles a keyframe draws the screen with.</summary>
    public const int KeyframeTileSize = TdpKeyframeBuilder.TileSize;

    private readonly TdpKeyframeBuilder _keyframes = new();

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
    /// Under the file's lock: the whole screen as TDP messages (<see cref="TdpKeyframeBuilder"/>: DesktopSize, PNG tiles
    /// covering it, the current cursor shape, from the recorder's own PNG encoder), written as one keyframe.
    /// </summary>
    private void WriteKeyframe()
    {
        var messages = _keyframes.Build(_surface!.Framebuffer!, _cursor);
        File.Writer.AppendKeyframe(File.Now(), messages);
        Keyframes++;
        _keyframeTaken = true;
        _changedSinceKeyframe = false;
        _lastKeyframe = _time.GetTimestamp();
    }
}
