namespace Oriel.Gateway.Ssh;

/// <summary>A directory entry as the file panel shows it.</summary>
/// <param name="Name">The last path element.</param>
/// <param name="Path">The full path on the server.</param>
/// <param name="Kind">File, directory, link or other.</param>
/// <param name="Size">Bytes (files).</param>
/// <param name="Modified">Last modification time.</param>
/// <param name="Mode">Unix permission bits (e.g. 0o755), 0 when the server did not say.</param>
public sealed record SftpEntry(string Name, string Path, SftpEntryKind Kind, long Size, DateTimeOffset Modified, int Mode);
