using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Sftp;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// An SFTP session over a connected SSH.NET <see cref="SftpClient"/> (its own SSH connection, made by
/// <see cref="SshNetConnector.ConnectSftpAsync"/>). Every failure becomes <see cref="SftpFailure"/> with a sentence;
/// file streams are the library's, read and written in its requests, never buffered whole.
/// </summary>
internal sealed class SshNetSftpSession : ISftpSession
{
    private readonly SftpClient _client;
    private readonly string _endpoint;
    private readonly ILogger _logger;
    private int _disposed;

    public SshNetSftpSession(SftpClient client, string endpoint, ILogger logger)
    {
        _client = client;
        _endpoint = endpoint;
        _logger = logger;
        HomeDirectory = client.WorkingDirectory;
    }

    public string HomeDirectory { get; }

    public Task<IReadOnlyList<SftpEntry>> ListAsync(string path, CancellationToken ct) => Run("list", path, async () =>
    {
        var entries = new List<SftpEntry>();
        await foreach (var file in _client.ListDirectoryAsync(path, ct).ConfigureAwait(false))
        {
            if (file.Name is "." or "..") continue;
            entries.Add(Entry(file.Name, file.FullName, file.Attributes));
        }
        return (IReadOnlyList<SftpEntry>)entries;
    });

    public Task<SftpEntry> StatAsync(string path, CancellationToken ct) => Run("stat", path, async () =>
    {
        var attributes = await _client.GetAttributesAsync(path, ct).ConfigureAwait(false);
        var trimmed = path.TrimEnd('/');
        var name = trimmed.Length == 0 ? "/" : trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return Entry(name, path, attributes);
    });

    public Task<Stream> OpenReadAsync(string path, CancellationToken ct) => Run("download", path, async () =>
    {
        var stream = await _client.OpenAsync(path, FileMode.Open, FileAccess.Read, ct).ConfigureAwait(false);
        return (Stream)new SshNetSftpStream(stream, path);
    });

    public Task<Stream> OpenWriteAsync(string path, long offset, bool create, CancellationToken ct) => Run("upload", path, async () =>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var stream = await _client.OpenAsync(path, create ? FileMode.Create : FileMode.Open, FileAccess.Write, ct).ConfigureAwait(false);
        try
        {
            if (offset > 0) stream.Seek(offset, SeekOrigin.Begin);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return (Stream)new SshNetSftpStream(stream, path);
    });

    public Task CreateDirectoryAsync(string path, CancellationToken ct) => Run("mkdir", path, async () =>
    {
        await _client.CreateDirectoryAsync(path, ct).ConfigureAwait(false);
        return true;
    });

    public Task RenameAsync(string from, string to, CancellationToken ct) => Run("rename", from, async () =>
    {
        await _client.RenameFileAsync(from, to, ct).ConfigureAwait(false);
        return true;
    });

    public Task DeleteAsync(string path, CancellationToken ct) => Run("delete", path, async () =>
    {
        await _client.DeleteAsync(path, ct).ConfigureAwait(false);
        return true;
    });

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await SshNetConnector.DisposeQuietlyAsync(_client).ConfigureAwait(false);
    }

    private async Task<T> Run<T>(string operation, string path, Func<Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(path);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ArgumentException)
        {
            var failure = SshNetFailures.Sftp(e, path);
            SshNetLog.SftpFailed(_logger, operation, _endpoint, failure.Kind, failure.Message);
            throw failure;
        }
    }

    private static SftpEntry Entry(string name, string path, SftpFileAttributes attributes)
    {
        var kind = attributes.IsDirectory ? SftpEntryKind.Directory
            : attributes.IsRegularFile ? SftpEntryKind.File
            : attributes.IsSymbolicLink ? SftpEntryKind.SymbolicLink
            : SftpEntryKind.Other;
        var mode = (attributes.OwnerCanRead ? 0x100 : 0) | (attributes.OwnerCanWrite ? 0x80 : 0) | (attributes.OwnerCanExecute ? 0x40 : 0)
                 | (attributes.GroupCanRead ? 0x20 : 0) | (attributes.GroupCanWrite ? 0x10 : 0) | (attributes.GroupCanExecute ? 0x8 : 0)
                 | (attributes.OthersCanRead ? 0x4 : 0) | (attributes.OthersCanWrite ? 0x2 : 0) | (attributes.OthersCanExecute ? 0x1 : 0);
        var modified = new DateTimeOffset(DateTime.SpecifyKind(attributes.LastWriteTimeUtc, DateTimeKind.Utc));
        return new SftpEntry(name, path, kind, attributes.Size, modified, mode);
    }
}
