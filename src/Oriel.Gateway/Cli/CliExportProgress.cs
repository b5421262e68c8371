using System.Globalization;
using Oriel.Gateway.Recordings.Export;

namespace Oriel.Gateway.Cli;

/// <summary>
/// Prints an export's progress to standard error: on a terminal one line rewritten in place, otherwise
/// (a log, a pipe, a test) a line at every tenth. The exporter reports at most once per percent.
/// </summary>
internal sealed class CliExportProgress(TextWriter error, string recordingId, bool interactive) : IProgress<RecordingExportProgress>
{
    private long _lastTenth = -1;
    private bool _open;

    public void Report(RecordingExportProgress value)
    {
        var percent = (int)Math.Floor(value.Fraction * 100);
        var text = string.Create(CultureInfo.InvariantCulture, $"exporting {recordingId}: {percent}% ({value.FramesDone}/{value.FramesTotal} frames)");
        if (interactive)
        {
            error.Write("\r" + text);
            _open = true;
            return;
        }
        var tenth = percent / 10;
        if (tenth != _lastTenth)
        {
            _lastTenth = tenth;
            error.WriteLine(text);
        }
    }

    /// <summary>Ends the line rewritten in place.</summary>
    public void Finish()
    {
        if (_open)
        {
            error.WriteLine();
            _open = false;
        }
    }
}
