namespace Oriel.Gateway.Storage;

/// <summary>
/// One recorded session in the catalog. The file is <c>DATA/recordings/&lt;Id&gt;.orec</c>
/// (<see cref="Recordings.RecordingPaths.StreamRecording"/>); its header's kind is <see cref="Kind"/>.
/// </summary>
/// <param name="Id">The session id (hex), also the file name stem.</param>
/// <param name="UserId">The user's id (kept when the user is removed).</param>
/// <param name="UserName">The user's name at the time.</param>
/// <param name="TargetId">The target's id (kept when the target is removed).</param>
/// <param name="TargetName">The target's name at the time.</param>
/// <param name="Protocol">The target's protocol: "vnc" (later "rdp", "ssh").</param>
/// <param name="Kind">The file's header kind: "tdp" or "rfb-passthrough".</param>
/// <param name="Started">When the recording started.</param>
/// <param name="Ended">When it ended; null while recording (or when the gateway stopped first).</param>
/// <param name="DurationMs">How long it recorded.</param>
/// <param name="SizeBytes">The file's size when it ended.</param>
/// <param name="Status">Recording, complete or incomplete.</param>
/// <param name="Problem">Why incomplete ("disk full", "the gateway stopped"); null when complete.</param>
public sealed record RecordingRecord(
    string Id,
    string UserId,
    string UserName,
    string TargetId,
    string TargetName,
    string Protocol,
    string Kind,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    long DurationMs,
    long SizeBytes,
    RecordingStatus Status,
    string? Problem);
