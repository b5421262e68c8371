namespace Oriel.Gateway.Recordings.Export;

/// <summary>Where an export job is; the API spells these in lower case.</summary>
public enum RecordingExportJobState
{
    /// <summary>Waiting for a free renderer.</summary>
    Queued,

    /// <summary>Rendering; <see cref="RecordingExportJob.Progress"/> moves.</summary>
    Running,

    /// <summary>The video is ready for download until the job expires.</summary>
    Done,

    /// <summary>It could not be made (<see cref="RecordingExportJob.Error"/> says why), or it was cancelled.</summary>
    Failed,
}
