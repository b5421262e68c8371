using Oriel.Gateway.Storage;
using Oriel.Recording;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// The TDP recording file an export renders for a catalog row: the recording itself for kind <c>tdp</c>. A
/// passthrough (<c>rfb-passthrough</c>) recording is rendered from its TDP transcoding, which
/// <c>PlayableRecordings.GetTdpFileAsync</c> makes (CONTRACTS.md section 4); until that service is in this build
/// such an export fails with a sentence saying so. Runs inside the export job, so a transcoding made on first use
/// does not hold up the request.
/// </summary>
public sealed class RecordingExportFiles(RecordingPaths paths)
{
    /// <summary>The path of a TDP recording of <paramref name="recording"/>; <see cref="RecordingExportException"/> when there is none.</summary>
    public Task<string> GetTdpFileAsync(RecordingRecord recording, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ct.ThrowIfCancellationRequested();
        if (recording.Kind == StreamRecordingHeader.TdpKind)
        {
            return Task.FromResult(paths.StreamRecording(recording.Id));
        }
        throw new RecordingExportException(
            $"recording {recording.Id} is a '{recording.Kind}' recording; it is exported from its TDP transcoding, which this gateway cannot make yet");
    }
}
