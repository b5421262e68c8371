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
public sealed class PassthroughRecorder : IDisposable, IAsyncDisposable
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

    /// <summary>The session ended: the last records, the catalog row, the audit of a failure (<see cref="RecordingService.CompleteAsync"/>).</summary>
    public Task FinishAsync(Sessions.SessionEndReason reason, string userMessage) => File.Service.CompleteAsync(File, reason, userMessage);

    /// <summary>Adds the recording's file name (and problem) to the <c>session.end</c> audit details.</summary>
    public void DescribeEnd(System.Text.Json.Nodes.JsonObject details) => File.DescribeEnd(details);

    public void Dispose() => File.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
