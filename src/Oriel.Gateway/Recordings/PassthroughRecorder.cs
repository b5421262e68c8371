using Oriel.Recording;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Records one passthrough session: both directions of the raw RFB stream with monotonic timestamps,
/// into <c>DATA/recordings/&lt;sessionId&gt;.orec</c> (kind <c>rfb-passthrough</c>, docs/recording.md), with its
/// catalog row; made by <see cref="RecordingService.StartPassthroughAsync"/>, ended by
/// <see cref="RecordingService.CompleteAsync"/>. The relay's two pumps call it concurrently; the file's lock keeps
/// the records in the order the gateway saw the bytes. Buffering, flushing and what a failed write does (by the
/// role's recording mode) are <see cref="RecordingFile"/>'s.
/// </summary>
public sealed class PassthroughRecorder : IDisposable
{
    internal PassthroughRecorder(RecordingFile file) => File = file;

    public RecordingFile File { get; }

    public string Path => File.Path;

    public void SessionStarted()
    {
        lock (File.Lock)
        {
            if (!File.BeginAppend()) return;
            File.Writer.AppendSessionStart(File.Now());
            File.FlushIfDue(now: true);
        }
    }

    public void ClientData(ReadOnlySpan<byte> data) => Data(StreamDirection.ClientToServer, data);

    public void ServerData(ReadOnlySpan<byte> data) => Data(StreamDirection.ServerToClient, data);

    public void Note(string text)
    {
        lock (File.Lock)
        {
            if (!File.BeginAppend()) return;
            File.Writer.AppendNote(File.Now(), text);
        }
    }

    private void Data(StreamDirection direction, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (File.Lock)
        {
            if (!File.BeginAppend()) return;
            File.Writer.AppendData(direction, File.Now(), data);
            File.FlushIfDue();
        }
    }

    public void Dispose() => File.Dispose();
}
