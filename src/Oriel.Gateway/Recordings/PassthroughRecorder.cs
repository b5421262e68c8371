using System.Text.Json.Nodes;
using Oriel.Gateway.Sessions;
using Oriel.Recording;
using RecordedEnd = Oriel.Recording.SessionEndReason;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Records one passthrough session: both directions of the raw RFB stream with monotonic timestamps,
/// into <c>DATA/recordings/&lt;sessionId&gt;.orec</c> (kind <c>rfb-passthrough</c>, docs/recording.md).
/// The relay's two pumps call it concurrently; one lock keeps the records in the order the gateway saw
/// the bytes. Buffered records reach the file every <see cref="FlushInterval"/> or
/// <see cref="FlushBytes"/>, and at the end.
/// </summary>
public sealed class PassthroughRecorder : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    public const int FlushBytes = 256 * 1024;

    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly RecordingFileSink _sink;
    private readonly StreamRecordingWriter _writer;
    private long _lastFlush;
    private long _lastTime;
    private bool _finished;

    private PassthroughRecorder(TimeProvider time, RecordingFileSink sink, StreamRecordingHeader header)
    {
        _time = time;
        _started = time.GetTimestamp();
        _sink = sink;
        _writer = new StreamRecordingWriter(sink, header);
        _lastFlush = _started;
        _sink.Flush();
    }

    public string Path => _sink.Path;

    /// <summary>Creates the file and writes the header: user, target, session, and the target's address as metadata.</summary>
    public static PassthroughRecorder Create(RecordingPaths paths, LiveSession session, string targetAddress, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(time);
        paths.EnsureDirectory();
        var header = new StreamRecordingHeader
        {
            Kind = StreamRecordingHeader.RfbPassthroughKind,
            SessionId = session.Id,
            TargetId = session.TargetId,
            User = session.UserName,
            StartUnixMilliseconds = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Metadata = new JsonObject
            {
                ["clientIp"] = session.ClientIp,
                ["target"] = targetAddress,
                ["recordingRequired"] = false,
            }.ToJsonString(),
        };
        var sink = new RecordingFileSink(paths.StreamRecording(session.Id));
        try
        {
            return new PassthroughRecorder(time, sink, header);
        }
        catch
        {
            sink.Dispose();
            throw;
        }
    }

    public void SessionStarted()
    {
        lock (_lock)
        {
            if (_finished) return;
            _writer.AppendSessionStart(Now());
            _sink.Flush();
        }
    }

    public void ClientData(ReadOnlySpan<byte> data) => Data(StreamDirection.ClientToServer, data);

    public void ServerData(ReadOnlySpan<byte> data) => Data(StreamDirection.ServerToClient, data);

    public void Note(string text)
    {
        lock (_lock)
        {
            if (_finished) return;
            _writer.AppendNote(Now(), text);
        }
    }

    private void Data(StreamDirection direction, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (_lock)
        {
            if (_finished) return;
            var now = Now();
            _writer.AppendData(direction, now, data);
            if (_sink.BufferedLength >= FlushBytes || _time.GetElapsedTime(_lastFlush) >= FlushInterval)
            {
                _sink.Flush();
                _lastFlush = _time.GetTimestamp();
            }
        }
    }

    /// <summary>Writes SessionEnd and End and flushes everything to disk. Idempotent.</summary>
    public void Finish(Sessions.SessionEndReason reason, string message)
    {
        lock (_lock)
        {
            if (_finished) return;
            _finished = true;
            var now = Now();
            _writer.AppendSessionEnd(now, Map(reason), message.Length > 1000 ? message[..1000] : message);
            _writer.Finish(now);
            _sink.Flush(toDisk: true);
        }
    }

    private static RecordedEnd Map(Sessions.SessionEndReason reason) => reason switch
    {
        Sessions.SessionEndReason.UserDisconnected => RecordedEnd.ClientClosed,
        Sessions.SessionEndReason.TargetClosed => RecordedEnd.ServerClosed,
        Sessions.SessionEndReason.Terminated or Sessions.SessionEndReason.GatewayShutdown => RecordedEnd.Terminated,
        _ => RecordedEnd.Error,
    };

    /// <summary>Microseconds since the start on the monotonic clock, never decreasing.</summary>
    private long Now()
    {
        var us = _time.GetElapsedTime(_started).Ticks / 10;
        _lastTime = Math.Max(_lastTime, us);
        return _lastTime;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _finished = true;
            _sink.Dispose();
        }
    }
}
