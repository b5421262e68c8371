using Renci.SshNet.Sftp;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// An SSH.NET file stream whose failures are <see cref="SftpFailure"/> (the library's exceptions do not leave the
/// <c>SshNet*</c> files). Reads and writes go straight to the library's stream.
/// </summary>
internal sealed class SshNetSftpStream : Stream
{
    private readonly SftpFileStream _inner;
    private readonly string _path;

    public SshNetSftpStream(SftpFileStream inner, string path)
    {
        _inner = inner;
        _path = path;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Map(() => _inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw SshNetFailures.Sftp(e, _path);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Map(() =>
    {
        _inner.Write(buffer, offset, count);
        return 0;
    });

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw SshNetFailures.Sftp(e, _path);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => Map(() =>
    {
        _inner.Flush();
        return 0;
    });

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw SshNetFailures.Sftp(e, _path);
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw SshNetFailures.Sftp(e, _path);
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Map(() =>
        {
            _inner.Dispose();
            return 0;
        });
        base.Dispose(disposing);
    }

    private T Map<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw SshNetFailures.Sftp(e, _path);
        }
    }
}
