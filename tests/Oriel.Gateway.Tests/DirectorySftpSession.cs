using Oriel.Gateway.Ssh;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A unit-level stand-in for an SFTP session over a temporary directory: the server's "/" is <see cref="Root"/> and the
/// login's home is "/home/tester". Failures are the contract's <see cref="SftpFailure"/> kinds, as the real client maps
/// SFTP status codes. For the file endpoints' rule tests; the real client is tested against sshd.
/// </summary>
internal sealed class DirectorySftpSession : ISftpSession
{
    public DirectorySftpSession(string root)
    {
        Root = root;
        Directory.CreateDirectory(Local(HomeDirectory));
    }

    public string Root { get; }

    public string HomeDirectory => "/home/tester";

    public bool Disposed { get; private set; }

    /// <summary>Every call's name and path, in order.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>The local file behind a server path; paths leaving the root are refused.</summary>
    public string Local(string path)
    {
        Assert.StartsWith("/", path); // the endpoints resolve relative paths against the home directory
        var full = Path.GetFullPath(Path.Combine(Root, path.TrimStart('/')));
        if (!full.StartsWith(Path.GetFullPath(Root), StringComparison.Ordinal))
        {
            throw new SftpFailure(SftpFailureKind.PermissionDenied, "Permission denied.");
        }
        return full;
    }

    private void Note(string op, string path)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        lock (Calls)
        {
            Calls.Add($"{op} {path}");
        }
    }

    private static SftpEntry Entry(FileSystemInfo info, string path)
    {
        var kind = info.LinkTarget is not null ? SftpEntryKind.SymbolicLink
            : info is DirectoryInfo ? SftpEntryKind.Directory : SftpEntryKind.File;
        return new SftpEntry(info.Name, path, kind, info is FileInfo f ? f.Length : 0, info.LastWriteTimeUtc, 0x1A4);
    }

    private static T Map<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SftpFailure(SftpFailureKind.NotFound, "No such file or directory.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SftpFailure(SftpFailureKind.PermissionDenied, "Permission denied.", e);
        }
        catch (IOException e)
        {
            throw new SftpFailure(SftpFailureKind.Failed, "The operation failed.", e);
        }
    }

    public Task<IReadOnlyList<SftpEntry>> ListAsync(string path, CancellationToken ct)
    {
        Note("list", path);
        return Task.FromResult(Map<IReadOnlyList<SftpEntry>>(() =>
            new DirectoryInfo(Local(path)).EnumerateFileSystemInfos().Select(i => Entry(i, path.TrimEnd('/') + "/" + i.Name)).ToList()));
    }

    public Task<SftpEntry> StatAsync(string path, CancellationToken ct)
    {
        Note("stat", path);
        return Task.FromResult(Map(() =>
        {
            var local = Local(path);
            FileSystemInfo info = Directory.Exists(local) ? new DirectoryInfo(local) : new FileInfo(local);
            if (!info.Exists)
            {
                throw new FileNotFoundException();
            }
            return Entry(info, path);
        }));
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken ct)
    {
        Note("read", path);
        return Task.FromResult(Map<Stream>(() => new FileStream(Local(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true)));
    }

    /// <summary>When set, opening a file for writing waits for it (a chunk held in flight).</summary>
    public Task? WriteGate { get; set; }

    public async Task<Stream> OpenWriteAsync(string path, long offset, bool create, CancellationToken ct)
    {
        Note(create ? "create" : "write", path);
        if (WriteGate is { } gate)
        {
            await gate.WaitAsync(ct);
        }
        return Map<Stream>(() =>
        {
            var stream = new FileStream(Local(path), create ? FileMode.Create : FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 4096, useAsync: true);
            stream.Position = offset;
            return stream;
        });
    }

    public Task CreateDirectoryAsync(string path, CancellationToken ct)
    {
        Note("mkdir", path);
        return Task.FromResult(Map(() =>
        {
            var local = Local(path);
            if (Directory.Exists(local) || File.Exists(local))
            {
                throw new SftpFailure(SftpFailureKind.AlreadyExists, "That name already exists.");
            }
            return Directory.CreateDirectory(local);
        }));
    }

    public Task RenameAsync(string from, string to, CancellationToken ct)
    {
        Note("rename", from);
        return Task.FromResult(Map(() =>
        {
            var source = Local(from);
            var target = Local(to);
            if (File.Exists(target) || Directory.Exists(target))
            {
                throw new SftpFailure(SftpFailureKind.AlreadyExists, "That name already exists.");
            }
            if (Directory.Exists(source))
            {
                Directory.Move(source, target);
            }
            else
            {
                File.Move(source, target);
            }
            return true;
        }));
    }

    public Task DeleteAsync(string path, CancellationToken ct)
    {
        Note("delete", path);
        return Task.FromResult(Map(() =>
        {
            var local = Local(path);
            if (Directory.Exists(local))
            {
                Directory.Delete(local, recursive: false);
            }
            else if (File.Exists(local))
            {
                File.Delete(local);
            }
            else
            {
                throw new FileNotFoundException();
            }
            return true;
        }));
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
