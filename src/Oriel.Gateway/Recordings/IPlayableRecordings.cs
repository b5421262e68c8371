namespace Oriel.Gateway.Recordings;

/// <summary>
/// Gives the TDP recording the browser player reads for a catalogued recording (CONTRACTS section 4): the file itself
/// for kind <c>tdp</c>; for <c>rfb-passthrough</c>, a TDP recording transcoded from it. The recordings API
/// (<see cref="RecordingEndpoints"/>) serves the file's bytes and builds the timeline from that same file, so the
/// offsets the player seeks to are offsets in what it downloads. Without a registered implementation the API uses
/// <see cref="TdpRecordingFiles"/>, which plays <c>tdp</c> recordings only.
/// </summary>
public interface IPlayableRecordings
{
    /// <summary>
    /// The path of the TDP recording to play for recording <paramref name="id"/> whose file has header kind
    /// <paramref name="kind"/>. Throws <see cref="FileNotFoundException"/> when the recording's file is gone, and
    /// another exception whose message says why (for the user) when the recording cannot be played.
    /// </summary>
    Task<string> GetTdpFileAsync(string id, string kind, CancellationToken ct);
}
