using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>Log messages of video exports (event ids 57xx). Recording ids and sizes only; never screen contents.</summary>
internal static partial class ExportLog
{
    [LoggerMessage(5701, LogLevel.Information, "Exporting recording {Recording} to {Format}: {Width}x{Height}, {Frames} frames")]
    public static partial void Started(ILogger logger, string recording, string format, int width, int height, long frames);

    [LoggerMessage(5702, LogLevel.Information, "Exported recording {Recording} to {Format}: {Frames} frames, {Bytes} bytes")]
    public static partial void Finished(ILogger logger, string recording, string format, long frames, long bytes);

    [LoggerMessage(5703, LogLevel.Warning, "Export job {JobId} of recording {Recording} failed: {Reason}")]
    public static partial void JobFailed(ILogger logger, string jobId, string recording, string reason);

    [LoggerMessage(5704, LogLevel.Information, "Export job {JobId} of recording {Recording} to {Format} queued by {UserName}")]
    public static partial void JobQueued(ILogger logger, string jobId, string recording, string format, string userName);

    [LoggerMessage(5705, LogLevel.Information, "Deleted {Count} expired export files")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(5707, LogLevel.Error, "Export job {JobId} of recording {Recording} failed unexpectedly")]
    public static partial void JobCrashed(ILogger logger, string jobId, string recording, Exception exception);

    [LoggerMessage(5706, LogLevel.Warning, "Could not delete expired export {Path}")]
    public static partial void ExpireFailed(ILogger logger, string path, Exception exception);
}
