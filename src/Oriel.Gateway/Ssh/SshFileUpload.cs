namespace Oriel.Gateway.Ssh;

/// <summary>
/// One upload in progress through the file panel: the browser sends the file in chunks (<c>PUT upload?path=&amp;offset=</c>),
/// each at the offset where the previous one ended. Kept per live session until the final chunk, a failure, or the
/// session's end. Guarded by the owning <see cref="SshFilePanelSession"/>'s lock.
/// </summary>
internal sealed class SshFileUpload(string path, string actor, string? clientIp, DateTimeOffset started)
{
    /// <summary>The absolute path on the server.</summary>
    public string Path { get; } = path;

    /// <summary>Who started it (for the audit when the session's end cuts it short).</summary>
    public string Actor { get; } = actor;

    public string? ClientIp { get; } = clientIp;

    public DateTimeOffset Started { get; } = started;

    /// <summary>Bytes written so far: the offset the next chunk must carry.</summary>
    public long Written { get; set; }

    /// <summary>True while a chunk is being written; a second chunk at the same time is refused.</summary>
    public bool Busy { get; set; }
}
