using Oriel.Recording;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The <see cref="IPlayableRecordings"/> used when no transcoding service is registered: a <c>tdp</c> recording is
/// played from its own file (<see cref="RecordingPaths.StreamRecording"/>); any other kind is refused with
/// <see cref="NotSupportedException"/> ("not yet playable in the browser").
/// </summary>
public sealed class TdpRecordingFiles(RecordingPaths paths) : IPlayableRecordings
{
    public Task<string> GetTdpFileAsync(string id, string kind, CancellationToken ct)
    {
        if (kind == AsciicastRecorder.Kind)
        {
            throw new RecordingUnplayableException(AsciicastRecorder.NotDesktopSentence);
        }
        if (kind != StreamRecordingHeader.TdpKind)
        {
            throw new NotSupportedException($"Recordings of kind '{kind}' are not yet playable in the browser.");
        }
        var path = paths.StreamRecording(id);
        return File.Exists(path) ? Task.FromResult(path) : throw new FileNotFoundException("the recording's file is gone", path);
    }
}
