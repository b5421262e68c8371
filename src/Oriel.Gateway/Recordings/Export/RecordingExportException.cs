namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// An export could not be made for a reason the user can act on: ffmpeg is missing or failed, the file is
/// not a TDP recording, it has no screen. The message is one readable sentence, shown as is.
/// </summary>
public sealed class RecordingExportException : Exception
{
    public RecordingExportException(string message)
        : base(message)
    {
    }

    public RecordingExportException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
