using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Recordings;

/// <summary>Log messages of the recordings read API (event ids 348x, in the recordings range).</summary>
internal static partial class RecordingEndpointsLog
{
    [LoggerMessage(3481, LogLevel.Information, "Recording {RecordingId} opened by {UserName}")]
    public static partial void Viewed(ILogger logger, string recordingId, string userName);

    [LoggerMessage(3482, LogLevel.Warning, "Recording {RecordingId} cannot be played: {Reason}")]
    public static partial void Unplayable(ILogger logger, string recordingId, string reason);

    [LoggerMessage(3483, LogLevel.Warning, "Recording {RecordingId}: its file is gone")]
    public static partial void FileGone(ILogger logger, string recordingId);

    [LoggerMessage(3484, LogLevel.Warning, "Recording {RecordingId}: the timeline could not be read: {Reason}")]
    public static partial void TimelineUnreadable(ILogger logger, string recordingId, string reason);
}
