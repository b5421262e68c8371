namespace Oriel.Gateway.Recordings;

/// <summary>Why a recording could not be opened or written, in words for the user, the catalog and the audit log.</summary>
internal static class RecordingFailure
{
    private const int Enospc = 28;          // Linux, macOS: No space left on device
    private const int Edquot = 122;         // Linux: Disk quota exceeded
    private const int WinDiskFull = unchecked((int)0x80070070);
    private const int WinHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>A short cause: "disk full", "no permission to write", or "write error".</summary>
    public static string Describe(Exception e) => e switch
    {
        IOException io when IsDiskFull(io) => "disk full",
        UnauthorizedAccessException => "no permission to write",
        _ => "write error",
    };

    public static bool IsDiskFull(IOException e) =>
        e.HResult is Enospc or Edquot or WinDiskFull or WinHandleDiskFull
        || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("quota", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="e"/> is a failure of the file system (as opposed to a bug).</summary>
    public static bool IsStorageFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>The sentence a required-recording session ends with when its recording fails.</summary>
    public static string SessionEnded(string problem) =>
        $"The session was ended: the recording could not be written ({problem}); this target requires recording.";

    /// <summary>The sentence a required-recording session is refused with when its recording cannot be opened.</summary>
    public static string SessionRefused(string problem) =>
        $"The session was not started: the recording could not be opened ({problem}); this target requires recording.";
}
