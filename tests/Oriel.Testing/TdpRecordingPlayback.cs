using Oriel.Graphics.Jpeg;
using Oriel.Recording;

namespace Oriel.Testing;

/// <summary>
/// Plays a TDP recording (kind <c>tdp</c>) the way a player does, for tests: the ServerData records, in order, on
/// one <see cref="TdpCanvas"/> (linear playback, keyframes skipped); and each keyframe on an empty canvas of its own,
/// compared with the linear canvas at that point (what a seeking player shows against what a linear one shows).
/// The file is read strictly: it must be complete and well-formed.
/// </summary>
public sealed class TdpRecordingPlayback
{
    private TdpRecordingPlayback(StreamRecordingReadResult read, TdpCanvas canvas)
    {
        Read = read;
        Canvas = canvas;
    }

    public StreamRecordingReadResult Read { get; }

    /// <summary>The canvas after every ServerData record.</summary>
    public TdpCanvas Canvas { get; }

    public List<TdpKeyframeSeen> Keyframes { get; } = [];

    /// <summary>Times of the ServerData records that ended at least one frame (a frame marker).</summary>
    public List<long> FrameTimes { get; } = [];

    public static TdpRecordingPlayback Play(ReadOnlyMemory<byte> file, JpegCodec? jpeg = null)
    {
        var read = StreamRecordingReader.ReadAll(file, StreamRecordingReadMode.Strict);
        if (read.Header!.Kind != StreamRecordingHeader.TdpKind) throw new InvalidDataException($"kind {read.Header.Kind}");
        var playback = new TdpRecordingPlayback(read, new TdpCanvas(jpeg));
        TdpCanvas? keyframe = null;
        foreach (var record in read.Records)
        {
            switch (record.Kind)
            {
                case StreamRecordKind.ServerData:
                    var frames = playback.Canvas.Frames;
                    playback.Canvas.ApplyAll(record.Payload.Span);
                    if (playback.Canvas.Frames > frames) playback.FrameTimes.Add(record.TimeMicroseconds);
                    break;
                case StreamRecordKind.Keyframe:
                    var part = KeyframePart.Parse(record.Payload.Span);
                    keyframe ??= new TdpCanvas(jpeg);
                    keyframe.ApplyAll(part.Messages);
                    if (part.Last)
                    {
                        var differences = keyframe.CountDifferences(playback.Canvas.Screen!.Pixels, out _);
                        playback.Keyframes.Add(new TdpKeyframeSeen(record.TimeMicroseconds, keyframe, differences));
                        keyframe = null;
                    }
                    break;
                default:
                    break;
            }
        }
        return playback;
    }
}
