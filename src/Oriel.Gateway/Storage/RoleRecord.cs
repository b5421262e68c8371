namespace Oriel.Gateway.Storage;

/// <summary>
/// A role: which targets it grants (explicit ids, or label selectors where every key=value of one selector
/// must match; a value of "*" matches any value of a present key), what a session on them may do, and whether its
/// holders may make Web Desktop links for them (<see cref="CreateLinks"/>).
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
}
