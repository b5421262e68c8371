using System.Buffers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Recording;
using RecordedEnd = Oriel.Recording.SessionEndReason;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The file and catalog row of one session's recording, shared by every recorder kind (<see cref="PassthroughRecorder"/>,
/// <see cref="TdpRecorder"/>, <see cref="AsciicastRecorder"/>): the <see cref="StreamRecordingWriter"/> (or an asciicast
/// recorder's writer, through <see cref="Output"/>) appends whole records (lines) to memory,
/// <see cref="FlushIfDue"/> hands them to the file every <see cref="FlushInterval"/> or <see cref="FlushBytes"/>, and a timer
/// flushes a batch left waiting by a quiet session (a crash loses at most that batch; the file reads up to its last
/// complete record), and a failed write is handled as the
/// session's <see cref="RecordingMode"/> says: <see cref="RecordingMode.Required"/> ends the session at once with a
/// <see cref="SessionFailure"/> (and every later append throws it again, so nothing goes on unrecorded);
/// <see cref="RecordingMode.BestEffort"/> stops recording, marks the row incomplete and audits <c>recording.failed</c>.
/// After a failed write the file is cut back to the end of the last batch that was written whole.
/// Callers append under <see cref="Lock"/>, between <see cref="BeginAppend"/> and <see cref="FlushIfDue"/>.
/// </summary>
public sealed class RecordingFile : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    public const int FlushBytes = 256 * 1024;

    private readonly RecordingService _service;
    private readonly RecordingFileSink _sink;
    private readonly TimeProvider _time;
    private readonly long _started;
    private long _lastFlush;
    private long _lastTime;
    private bool _finished;
    private Task _failureAudit = Task.CompletedTask;
    private readonly ITimer _flushTimer;
    private readonly StreamRecordingWriter? _stream;

    /// <summary>A stream recording (<c>.orec</c>): the <see cref="StreamRecordingWriter"/> writes its header now.</summary>
    internal RecordingFile(RecordingService service, RecordingFileSink sink, StreamRecordingHeader header, StreamRecordingWriterOptions? options,
        RecordingRecord row, RecordingMode mode, TimeProvider time)
        : this(service, sink, row, mode, time)
    {
        try
        {
            _stream = new StreamRecordingWriter(sink, header, options);
            _sink.Flush(); // the header reaches the file now: opening fails here, before the session starts
        }
        catch
        {
            _flushTimer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A recording in another format (asciicast): its recorder writes whole lines into <see cref="Output"/> under
    /// <see cref="Lock"/> and says with <see cref="Closing"/> what its file ends with; batching, flushing and failures are
    /// the same as for a stream recording.
    /// </summary>
    internal RecordingFile(RecordingService service, RecordingFileSink sink, RecordingRecord row, RecordingMode mode, TimeProvider time)
    {
        _service = service;
        _sink = sink;
        _time = time;
        _started = time.GetTimestamp();
        _lastFlush = _started;
        Row = row;
        Mode = mode;
        // A quiet session's last batch reaches the file too: a crash loses at most about a second.
        _flushTimer = time.CreateTimer(_ => FlushQuiet(), null, FlushInterval, FlushInterval);
    }

    /// <summary>The service that opened it and ends it (catalog row, audit).</summary>
    internal RecordingService Service => _service;

    /// <summary>
    /// Adds the recording's facts to a <c>session.end</c> audit event's details: <c>recording</c> (the file name) and,
    /// when it stopped early, <c>recordingProblem</c>.
    /// </summary>
    public void DescribeEnd(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        details["recording"] = System.IO.Path.GetFileName(Path);
        if (Problem is { } problem) details["recordingProblem"] = problem;
    }

    /// <summary>Serialises appends: a recorder may be called from several loops at once.</summary>
    public object Lock { get; } = new();

    /// <summary>
    /// A stream recording's writer. Use only under <see cref="Lock"/> after <see cref="BeginAppend"/> returned true.
    /// Throws <see cref="InvalidOperationException"/> for a file of another format.
    /// </summary>
    public StreamRecordingWriter Writer => _stream ?? throw new InvalidOperationException("this recording is not a stream recording");

    /// <summary>
    /// Where a recorder of another format (asciicast) writes its bytes, under <see cref="Lock"/> after
    /// <see cref="BeginAppend"/> returned true; they reach the file with the next flush (<see cref="FlushIfDue"/>).
    /// </summary>
    internal IBufferWriter<byte> Output => _sink;

    /// <summary>
    /// For a file of another format: called under <see cref="Lock"/> by <see cref="Finish"/> with the time, before the
    /// last flush, to write what the file ends with; not called when the recording already failed.
    /// </summary>
    internal Action<long>? Closing { get; set; }

    public RecordingMode Mode { get; }

    /// <summary>The catalog row as it was inserted (status Recording).</summary>
    public RecordingRecord Row { get; }

    public string Path => _sink.Path;

    /// <summary>Why the recording stopped early; null while it is fine.</summary>
    public string? Problem { get; private set; }

    /// <summary>Bytes in the file so far.</summary>
    public long FileLength => _sink.FlushedLength;

    /// <summary>
    /// Under <see cref="Lock"/>: true when records may be appended now. False once finished, or after a best-effort
    /// failure. After a required recording failed it throws the <see cref="SessionFailure"/> that ends the session.
    /// </summary>
    public bool BeginAppend()
    {
        if (Problem is { } problem && Mode == RecordingMode.Required && !_finished)
        {
            throw new SessionFailure(Sessions.SessionEndReason.RecordingFailed, RecordingFailure.SessionEnded(problem));
        }
        return !_finished && Problem is null;
    }

    /// <summary>Microseconds since the recording started, on the monotonic clock, never decreasing.</summary>
    public long Now()
    {
        var us = _time.GetElapsedTime(_started).Ticks / 10;
        _lastTime = Math.Max(_lastTime, us);
        return _lastTime;
    }

    /// <summary>Under <see cref="Lock"/>: writes the buffered records to the file when the batch is big or old enough (or <paramref name="now"/>).</summary>
    public void FlushIfDue(bool now = false)
    {
        if (!now && _sink.BufferedLength < FlushBytes && _time.GetElapsedTime(_lastFlush) < FlushInterval)
        {
            return;
        }
        try
        {
            _sink.Flush();
            _lastFlush = _time.GetTimestamp();
        }
        catch (Exception e) when (RecordingFailure.IsStorageFailure(e))
        {
            Fail(e);
            BeginAppend(); // throws for a required recording
        }
    }

    /// <summary>
    /// The timer's flush of a batch that waited <see cref="FlushInterval"/> with nothing appended after it. A failure
    /// here is recorded like any other; a required recording's session then ends at its next append (nothing was shown
    /// to the browser meanwhile that is not in the lost batch).
    /// </summary>
    private void FlushQuiet()
    {
        lock (Lock)
        {
            if (_finished || Problem is not null || _sink.BufferedLength == 0 || _time.GetElapsedTime(_lastFlush) < FlushInterval)
            {
                return;
            }
            try
            {
                _sink.Flush();
                _lastFlush = _time.GetTimestamp();
            }
            catch (Exception e) when (RecordingFailure.IsStorageFailure(e))
            {
                Fail(e);
            }
        }
    }

    /// <summary>Under <see cref="Lock"/>: the file cannot be written; stop recording (see the class summary).</summary>
    private void Fail(Exception e)
    {
        if (Problem is not null) return;
        Problem = RecordingFailure.Describe(e);
        _sink.Abandon();
        _service.WriteFailed(this, e);
        _failureAudit = _service.AuditFailureAsync(this, Problem);
    }

    /// <summary>
    /// Writes SessionEnd and End and flushes to disk; idempotent. Returns the row to store: complete, or incomplete
    /// with the problem.
    /// </summary>
    internal RecordingRecord Finish(Sessions.SessionEndReason reason, string message)
    {
        lock (Lock)
        {
            if (!_finished && Problem is null)
            {
                try
                {
                    var now = Now();
                    if (_stream is not null)
                    {
                        _stream.AppendSessionEnd(now, Map(reason), Truncate(message));
                        _stream.Finish(now);
                    }
                    else
                    {
                        Closing?.Invoke(now);
                    }
                    _sink.Flush(toDisk: true);
                }
                catch (Exception e) when (RecordingFailure.IsStorageFailure(e))
                {
                    Fail(e);
                }
            }
            _finished = true;
            _flushTimer.Dispose();
            var ended = Row.Started + _time.GetElapsedTime(_started);
            return Row with
            {
                Ended = ended,
                DurationMs = (long)(ended - Row.Started).TotalMilliseconds,
                SizeBytes = _sink.FlushedLength,
                Status = Problem is null ? RecordingStatus.Complete : RecordingStatus.Incomplete,
                Problem = Problem,
            };
        }
    }

    /// <summary>The audit of a best-effort failure, if one is under way.</summary>
    internal Task FailureAudit => _failureAudit;

    private static string Truncate(string message)
    {
        var s = message;
        while (System.Text.Encoding.UTF8.GetByteCount(s) > 1000) s = s[..^Math.Max(1, s.Length / 10)];
        return s;
    }

    private static RecordedEnd Map(Sessions.SessionEndReason reason) => reason switch
    {
        Sessions.SessionEndReason.UserDisconnected => RecordedEnd.ClientClosed,
        Sessions.SessionEndReason.TargetClosed => RecordedEnd.ServerClosed,
        Sessions.SessionEndReason.Terminated or Sessions.SessionEndReason.GatewayShutdown => RecordedEnd.Terminated,
        _ => RecordedEnd.Error,
    };

    public void Dispose()
    {
        lock (Lock)
        {
            _finished = true;
            _flushTimer.Dispose();
            try
            {
                _sink.Dispose();
            }
            catch (Exception e) when (RecordingFailure.IsStorageFailure(e))
            {
                // A last flush of a recording that failed or was not finished; Finish reported what matters.
            }
        }
    }
}
