namespace Oriel.Gateway.Storage;

/// <summary>
/// A role: which targets it grants (explicit ids, or label selectors where every key=value of one selector
/// must match; a value of "*" matches any value of a present key), what a session on them may do, and whether its
/// holders may make Web Desktop links for them (<see cref="CreateLinks"/>), and the recording settings
/// (<see cref="Recording"/>, <see cref="RecordInput"/>, <see cref="Recordings"/>, <see cref="WatchLive"/>).
/// </summary>
public sealed record RoleRecord(
    string Name,
    string Description,
    IReadOnlyList<string> TargetIds,
    IReadOnlyList<IReadOnlyDictionary<string, string>> TargetLabels,
    bool ClipboardRead,
    bool ClipboardWrite,
    bool Resize,
    int? MaxSessions,
    bool Declared)
{
    /// <summary>
    /// Holders may make Web Desktop links (<c>POST /api/links</c>) for the targets this role grants, for users
    /// who may open them themselves and are not administrators (docs/links.md, docs/api-keys.md).
    /// </summary>
    public bool CreateLinks { get; init; }

    /// <summary>Whether sessions on the targets this role grants are recorded (the strictest role granting a target wins).</summary>
    public RecordingMode Recording { get; init; } = RecordingMode.BestEffort;

    /// <summary>How much input those recordings keep (the most any role granting the target asks for wins).</summary>
    public InputRecording RecordInput { get; init; } = InputRecording.Redacted;

    /// <summary>Whose recordings holders may list, play and export.</summary>
    public RecordingsAccess Recordings { get; init; } = RecordingsAccess.None;

    /// <summary>Holders may watch other users' live sessions, read-only.</summary>
    public bool WatchLive { get; init; }

    /// <summary>SSH logins holders may use on the targets this role grants, besides each target's own username; "*": any the target offers.</summary>
    public IReadOnlyList<string> Logins { get; init; } = [];

    /// <summary>Holders may download files from SSH targets (the file panel: list and download).</summary>
    public bool FileDownload { get; init; }

    /// <summary>Holders may upload files to SSH targets, and make, rename and delete entries there.</summary>
    public bool FileUpload { get; init; }

    /// <summary>Holders may answer a target's authentication prompts in the browser (a password or code the vault does not hold).</summary>
    public bool BrowserAuthPrompts { get; init; }
}
