using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Access;

/// <summary>What a remote session may do; the union of what the user's roles grant on one target.</summary>
/// <param name="ClipboardRead">Remote clipboard → browser.</param>
/// <param name="ClipboardWrite">Browser clipboard → remote.</param>
/// <param name="Resize">The browser may ask the remote desktop to change size.</param>
/// <param name="MaxSessions">Most concurrent sessions of this user on this target; null for no limit.</param>
public sealed record SessionPermissions(bool ClipboardRead, bool ClipboardWrite, bool Resize, int? MaxSessions)
{
    public static SessionPermissions None { get; } = new(false, false, false, 0);

    /// <summary>Whether the session is recorded, and how strictly (<see cref="RecordingMode"/>).</summary>
    public RecordingMode Recording { get; init; } = RecordingMode.BestEffort;

    /// <summary>How much of the user's input the recording keeps.</summary>
    public InputRecording RecordInput { get; init; } = InputRecording.Redacted;

    /// <summary>Files may go from the target to the browser (SSH file panel: list and download).</summary>
    public bool FileDownload { get; init; }

    /// <summary>Files may go from the browser to the target (SSH file panel: upload, mkdir, rename, delete).</summary>
    public bool FileUpload { get; init; }

    /// <summary>The user may answer the target's authentication prompts in the browser (a password or code the vault does not hold).</summary>
    public bool BrowserAuthPrompts { get; init; }

    /// <summary>The logins (SSH users) the roles allow on this target besides the target's own username; "*" allows any the target offers.</summary>
    public IReadOnlySet<string> Logins { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>What administrators get.</summary>
    public static SessionPermissions Full { get; } = new(true, true, true, null)
    {
        FileDownload = true,
        FileUpload = true,
        BrowserAuthPrompts = true,
        Logins = new HashSet<string>(StringComparer.Ordinal) { "*" },
    };

    /// <summary>
    /// Value equality, with <see cref="Logins"/> compared as a set (the generated equality would compare the set
    /// instances, so two equal grants built apart would differ).
    /// </summary>
    public bool Equals(SessionPermissions? other) =>
        other is not null && ClipboardRead == other.ClipboardRead && ClipboardWrite == other.ClipboardWrite && Resize == other.Resize
        && MaxSessions == other.MaxSessions && Recording == other.Recording && RecordInput == other.RecordInput
        && FileDownload == other.FileDownload && FileUpload == other.FileUpload && BrowserAuthPrompts == other.BrowserAuthPrompts
        && Logins.SetEquals(other.Logins);

    public override int GetHashCode() =>
        HashCode.Combine(HashCode.Combine(ClipboardRead, ClipboardWrite, Resize, MaxSessions, Recording, RecordInput),
            FileDownload, FileUpload, BrowserAuthPrompts, Logins.Count);

    /// <summary>
    /// Combines two grants: any role allowing a feature allows it; the largest limit wins; the strictest recording
    /// mode and the most input recording win.
    /// </summary>
    public SessionPermissions Union(SessionPermissions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            ClipboardRead || other.ClipboardRead,
            ClipboardWrite || other.ClipboardWrite,
            Resize || other.Resize,
            MaxSessions is null || other.MaxSessions is null ? null : Math.Max(MaxSessions.Value, other.MaxSessions.Value))
        {
            Recording = (RecordingMode)Math.Max((int)Recording, (int)other.Recording),
            RecordInput = (InputRecording)Math.Max((int)RecordInput, (int)other.RecordInput),
            FileDownload = FileDownload || other.FileDownload,
            FileUpload = FileUpload || other.FileUpload,
            BrowserAuthPrompts = BrowserAuthPrompts || other.BrowserAuthPrompts,
            Logins = new HashSet<string>(Logins.Concat(other.Logins), StringComparer.Ordinal),
        };
    }
}
