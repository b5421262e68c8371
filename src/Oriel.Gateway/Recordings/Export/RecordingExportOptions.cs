namespace Oriel.Gateway.Recordings.Export;

/// <summary>How recordings are rendered to video (<see cref="RecordingExporter"/>) and how export jobs run (<see cref="RecordingExportJobs"/>).</summary>
public sealed class RecordingExportOptions
{
    /// <summary>The ffmpeg program: a name looked up on PATH, or a path. Debian's <c>ffmpeg</c> package provides it.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Frames per second of the video (1..60). The screen is sampled at this constant rate from 0 to the recording's end.</summary>
    public int FrameRate { get; set; } = 25;

    /// <summary>
    /// libx264's preset for MP4 (ultrafast .. veryslow). The default, veryfast, keeps an export of a long
    /// recording quick on a small server; screen content compresses well anyway.
    /// </summary>
    public string X264Preset { get; set; } = "veryfast";

    /// <summary>libvpx's -cpu-used for WebM (0..8; higher is faster). Encoded with the realtime deadline.</summary>
    public int VpxCpuUsed { get; set; } = 8;

    /// <summary>Export jobs that render at once (1..4); more wait in the queue.</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>Jobs queued or running at most; a request beyond it is refused (429) rather than queued without bound.</summary>
    public int MaxQueuedJobs { get; set; } = 16;

    /// <summary>How long a finished export's file and state are kept for download before they are deleted.</summary>
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromHours(1);
}
