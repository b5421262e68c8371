using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// The TDP recording file an export renders for a catalog row: the recording itself for kind <c>tdp</c>; for a
/// passthrough (<c>rfb-passthrough</c>) recording its TDP transcoding, made on first use by the
/// <see cref="IPlayableRecordings"/> (the same file the browser's player reads). Runs inside the export job, so a
/// transcoding does not hold up the request. A recording that cannot be played is a <see cref="RecordingExportException"/>
/// with the reason.
/// </summary>
public sealed class RecordingExportFiles(IPlayableRecordings playable)
{
    /// <summary>The path of a TDP recording of <paramref name="recording"/>; <see cref="RecordingExportException"/> when there is none.</summary>
    public async Task<string> GetTdpFileAsync(RecordingRecord recording, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(recording);
        try
        {
            return await playable.GetTdpFileAsync(recording.Id, recording.Kind, ct).ConfigureAwait(false);
        }
        catch (RecordingUnplayableException e)
        {
            throw new RecordingExportException($"recording {recording.Id} cannot be exported: {e.Message}", e);
        }
    }
}
