namespace Oriel.Gateway.Ssh;

/// <summary>
/// An SFTP session on its own SSH connection (<see cref="ISshConnector.ConnectSftpAsync"/>). Paths are the server's
/// (absolute, or relative to <see cref="HomeDirectory"/>); callers check names (no NUL or control characters) before
/// calling. Every method throws <see cref="SftpFailure"/> with a sentence for the user. Disposing disconnects.
/// </summary>
public interface ISftpSession : IAsyncDisposable
{
    /// <summary>The login's home directory, absolute.</summary>
    string HomeDirectory { get; }

    /// <summary>The entries of a directory, without "." and "..", in the server's order.</summary>
    Task<IReadOnlyList<SftpEntry>> ListAsync(string path, CancellationToken ct);

    /// <summary>One entry's attributes (following symbolic links).</summary>
    Task<SftpEntry> StatAsync(string path, CancellationToken ct);

    /// <summary>A stream reading a file from its start; streamed, never buffered whole.</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken ct);

    /// <summary>
    /// A stream writing a file at <paramref name="offset"/>: with <paramref name="create"/> the file is created or
    /// truncated first (the first chunk of an upload), otherwise it must exist (the later chunks).
    /// </summary>
    Task<Stream> OpenWriteAsync(string path, long offset, bool create, CancellationToken ct);

    Task CreateDirectoryAsync(string path, CancellationToken ct);

    Task RenameAsync(string from, string to, CancellationToken ct);

    /// <summary>Deletes a file, or an empty directory.</summary>
    Task DeleteAsync(string path, CancellationToken ct);
}
