namespace Oriel.Gateway.Recordings.Export;

/// <summary>The video containers and codecs an export can make (see <see cref="RecordingExportFormats"/>).</summary>
public enum RecordingExportFormat
{
    /// <summary>MP4 with H.264 (libx264), 4:2:0: plays everywhere.</summary>
    Mp4,

    /// <summary>WebM with VP9 (libvpx-vp9), 4:2:0: the open format browsers play natively.</summary>
    WebM,
}
