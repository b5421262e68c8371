namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// One background export (<see cref="RecordingExportJobs"/>): which recording, for whom, in which format,
/// and how far it is. State and progress change on the worker and are read by the API: they are kept under
/// a lock and read as a <see cref="Snapshot"/>.
/// </summary>
public sealed class RecordingExportJob : IProgress<RecordingExportProgress>
{
    private readonly Lock _lock = new();
    private RecordingExportJobState _state = RecordingExportJobState.Queued;
    private double _progress;
    private string? _error;
    private DateTimeOffset? _finished;

    internal RecordingExportJob(string jobId, string recordingId, Func<CancellationToken, Task<string>> recordingFile, RecordingExportFormat format,
        string ownerUserId, string ownerName, string outputPath, DateTimeOffset created)
    {
        JobId = jobId;
        RecordingId = recordingId;
        RecordingFile = recordingFile;
        Format = format;
        OwnerUserId = ownerUserId;
        OwnerName = ownerName;
        OutputPath = outputPath;
        Created = created;
    }

    /// <summary>Unguessable id (128 random bits, hex).</summary>
    public string JobId { get; }

    public string RecordingId { get; }

    /// <summary>Finds (or makes) the TDP recording file to render; called when the job runs.</summary>
    internal Func<CancellationToken, Task<string>> RecordingFile { get; }

    public RecordingExportFormat Format { get; }

    /// <summary>The user who asked; only they see the job.</summary>
    public string OwnerUserId { get; }

    public string OwnerName { get; }

    /// <summary>Where the video is written (DATA/exports/JOBID.EXT).</summary>
    public string OutputPath { get; }

    public DateTimeOffset Created { get; }

    internal CancellationTokenSource Cancellation { get; } = new();

    /// <summary>State, progress (0..1), error and finish time, read together.</summary>
    public (RecordingExportJobState State, double Progress, string? Error, DateTimeOffset? Finished) Snapshot
    {
        get
        {
            lock (_lock)
            {
                return (_state, _progress, _error, _finished);
            }
        }
    }

    public void Report(RecordingExportProgress value)
    {
        lock (_lock)
        {
            _progress = value.Fraction;
        }
    }

    internal void Start()
    {
        lock (_lock)
        {
            _state = RecordingExportJobState.Running;
        }
    }

    internal void Succeed(DateTimeOffset now)
    {
        lock (_lock)
        {
            _state = RecordingExportJobState.Done;
            _progress = 1;
            _finished = now;
        }
    }

    internal void Fail(string error, DateTimeOffset now)
    {
        lock (_lock)
        {
            _state = RecordingExportJobState.Failed;
            _error = error;
            _finished = now;
        }
    }
}
