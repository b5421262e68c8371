namespace Oriel.Gateway.Storage;

/// <summary>
/// A role: which targets it grants (explicit ids, or label selectors where every key=value of one selector
/// must match; a value of "*" matches any value of a present key) and what a session on them may do.
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
    bool Declared);
