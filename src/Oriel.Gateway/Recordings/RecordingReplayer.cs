using Oriel.Recording;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Replay;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Glue between a stream recording and the RFB replay observer: reads an <c>rfb-passthrough</c> file
/// (tolerantly, so a crashed or still-running recording replays up to its last good record) and feeds
/// every data record, in file order, to an <see cref="RfbStreamObserver"/>. The observer's framebuffer is
/// then the last screen the viewer saw.
/// </summary>
public static class RecordingReplayer
{
    /// <summary>Replays a whole file. Throws <see cref="Oriel.Wire.DecodeException"/> for damage inside the stream or
    /// <see cref="RfbReplayUnsupportedException"/> for an encrypted session. <paramref name="jpeg"/> decodes Tight
    /// JPEG rectangles (not owned; see <see cref="Hosting.JpegSupport"/>): a recording made while the gateway had a
    /// JPEG library may hold them.</summary>
    public static RecordingReplay Replay(ReadOnlyMemory<byte> file, IFramebufferSink? sink = null, Oriel.Graphics.Jpeg.JpegCodec? jpeg = null)
    {
        var read = StreamRecordingReader.ReadAll(file, StreamRecordingReadMode.Tolerant);
        if (read.Header is null)
        {
            throw read.Error ?? new Oriel.Wire.DecodeException("stream recording", 0, "the file has no complete header");
        }
        if (read.Header.Kind != StreamRecordingHeader.RfbPassthroughKind)
        {
            throw new Oriel.Wire.DecodeException("stream recording", 0, $"kind {read.Header.Kind} is not {StreamRecordingHeader.RfbPassthroughKind}");
        }
        var observer = new RfbStreamObserver(sink, new RfbStreamObserverOptions { QueueEvents = false, Jpeg = jpeg });
        var lastBoundary = 0L;
        foreach (var record in read.Records)
        {
            if (!record.IsData) continue;
            observer.Observe(record.Direction == StreamDirection.ClientToServer ? RfbStreamDirection.ClientToServer : RfbStreamDirection.ServerToClient, record.Payload.Span);
            if (observer.IsAtUpdateBoundary) lastBoundary = record.TimeMicroseconds;
        }
        return new RecordingReplay(read.Header, observer, read.IsComplete, read.Error, lastBoundary);
    }

    /// <summary>Reads and replays a file from disk.</summary>
    public static RecordingReplay ReplayFile(string path, IFramebufferSink? sink = null, Oriel.Graphics.Jpeg.JpegCodec? jpeg = null) =>
        Replay(File.ReadAllBytes(path), sink, jpeg);
}
