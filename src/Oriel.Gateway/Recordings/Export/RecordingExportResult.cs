namespace Oriel.Gateway.Recordings.Export;

/// <summary>What an export made.</summary>
/// <param name="Width">Video width: the widest desktop of the recording, rounded up to even.</param>
/// <param name="Height">Video height: the tallest desktop of the recording, rounded up to even.</param>
/// <param name="Frames">Video frames written.</param>
/// <param name="FrameRate">Frames per second.</param>
/// <param name="DurationMicroseconds">The recording's duration, which the video's matches within one frame.</param>
/// <param name="OutputBytes">Size of the video file.</param>
/// <param name="Problem">Why the recording was read only up to some point (cut off or damaged), or null.</param>
public sealed record RecordingExportResult(int Width, int Height, long Frames, int FrameRate, long DurationMicroseconds, long OutputBytes, string? Problem);
