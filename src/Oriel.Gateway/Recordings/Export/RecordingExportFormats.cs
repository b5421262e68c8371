using System.Diagnostics.CodeAnalysis;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>Names, file extensions and MIME types of <see cref="RecordingExportFormat"/>, as the CLI and the API spell them.</summary>
public static class RecordingExportFormats
{
    /// <summary>"mp4" or "webm" (any case) to a format.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out RecordingExportFormat? format)
    {
        format = name?.ToLowerInvariant() switch
        {
            "mp4" => RecordingExportFormat.Mp4,
            "webm" => RecordingExportFormat.WebM,
            _ => null,
        };
        return format is not null;
    }

    /// <summary>The name used on the command line and in the API: "mp4" or "webm".</summary>
    public static string Name(RecordingExportFormat format) => format == RecordingExportFormat.WebM ? "webm" : "mp4";

    /// <summary>The file extension with its dot.</summary>
    public static string Extension(RecordingExportFormat format) => "." + Name(format);

    /// <summary>The MIME type of the file.</summary>
    public static string ContentType(RecordingExportFormat format) => format == RecordingExportFormat.WebM ? "video/webm" : "video/mp4";
}
