namespace Oriel.Gateway.Storage;

/// <summary>Where a recording stands in the catalog.</summary>
public enum RecordingStatus
{
    /// <summary>The session is live and its recording is being written.</summary>
    Recording,

    /// <summary>The session ended and its recording was finished (End record written, flushed).</summary>
    Complete,

    /// <summary>
    /// The recording stopped before the session ended, or was never finished (a write failed, the gateway stopped);
    /// the file reads up to its last complete record. <see cref="RecordingRecord.Problem"/> says why.
    /// </summary>
    Incomplete,
}
