using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// The file panel of one live SSH session: its SFTP connection (opened on first use, shared by the session's requests,
/// closed with the session) and its uploads in progress. SSH.NET's SFTP client multiplexes requests by id, so
/// operations run concurrently, at most <see cref="MaxConcurrentOperations"/> at a time (the rest wait their turn).
/// </summary>
internal sealed class SshFilePanelSession
{
    /// <summary>Operations of one session running at once (a download holds its slot for the whole transfer).</summary>
    public const int MaxConcurrentOperations = 8;

    /// <summary>Uploads of one session that may be unfinished at once; each is a few dozen bytes of state.</summary>
    public const int MaxUnfinishedUploads = 16;

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrentOperations, MaxConcurrentOperations);
    private readonly Dictionary<string, SshFileUpload> _uploads = new(StringComparer.Ordinal);
    private readonly Func<SshConnectRequest, CancellationToken, Task<ISftpSession>> _connect;
    private readonly ILogger _log;
    private Task<ISftpSession>? _connecting;
    private bool _closed;

    public SshFilePanelSession(SshFileAccess access, string userName, Func<SshConnectRequest, CancellationToken, Task<ISftpSession>> connect, ILogger log)
    {
        Access = access;
        UserName = userName;
        _connect = connect;
        _log = log;
    }

    public SshFileAccess Access { get; }

    /// <summary>Who opened the panel (for the log and the audit of uploads the session's end cut short).</summary>
    public string UserName { get; }

    /// <summary>The sentence for requests that arrive after the session ended.</summary>
    public const string EndedSentence = "The terminal session has ended; its file panel is closed.";

    /// <summary>
    /// The session's SFTP connection, connecting on first use. Callers arriving while it connects share that attempt; a
    /// failed attempt is forgotten, so the next request tries again. Throws <see cref="SshFailure"/> or
    /// <see cref="SftpFailure"/> with a sentence.
    /// </summary>
    public async Task<ISftpSession> SftpAsync(CancellationToken ct)
    {
        Task<ISftpSession> connecting;
        lock (_lock)
        {
            if (_closed)
            {
                throw new SftpFailure(SftpFailureKind.Failed, EndedSentence);
            }

            connecting = _connecting ??= ConnectAsync();
        }

        try
        {
            return await connecting.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception) when (connecting.IsFaulted || connecting.IsCanceled)
        {
            lock (_lock)
            {
                if (_connecting == connecting)
                {
                    _connecting = null;
                }
            }

            throw;
        }
    }

    private async Task<ISftpSession> ConnectAsync()
    {
        try
        {
            var sftp = await _connect(Access.Request, _closing.Token).ConfigureAwait(false);
            SshFileLog.Connected(_log, Access.TargetId, UserName);
            return sftp;
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            throw new SftpFailure(SftpFailureKind.Failed, EndedSentence);
        }
        catch (Exception e) when (e is SshFailure or SftpFailure)
        {
            SshFileLog.ConnectFailed(_log, Access.TargetId, UserName, e.Message);
            throw;
        }
    }

    /// <summary>Waits for an operation slot (see <see cref="MaxConcurrentOperations"/>); release it with <see cref="ReleaseSlot"/>.</summary>
    public Task WaitSlotAsync(CancellationToken ct) => _slots.WaitAsync(ct);

    public void ReleaseSlot() => _slots.Release();

    /// <summary>
    /// Claims the upload of <paramref name="path"/> for a chunk at <paramref name="offset"/>: offset 0 starts it (again),
    /// any other offset must equal the bytes written so far. Returns null with the refusal sentence and the offset the
    /// upload expects (0 when none is in progress). The chunk ends with <see cref="EndChunk"/>.
    /// </summary>
    public SshFileUpload? BeginChunk(string path, long offset, string actor, string? clientIp, DateTimeOffset now, out string refusal, out long expected)
    {
        lock (_lock)
        {
            refusal = "";
            expected = 0;
            if (_closed)
            {
                refusal = EndedSentence;
                return null;
            }

            _uploads.TryGetValue(path, out var existing);
            if (existing is { Busy: true })
            {
                expected = existing.Written;
                refusal = "Another chunk of this upload is being written; send the next one when it is done.";
                return null;
            }

            if (offset == 0)
            {
                if (existing is null && _uploads.Count >= MaxUnfinishedUploads)
                {
                    refusal = $"This session already has {MaxUnfinishedUploads} unfinished uploads; finish or cancel one first.";
                    return null;
                }

                var upload = new SshFileUpload(path, actor, clientIp, now) { Busy = true };
                _uploads[path] = upload;
                return upload;
            }

            if (existing is null)
            {
                refusal = "No upload of this file is in progress; its first chunk must be sent at offset 0.";
                return null;
            }

            if (existing.Written != offset)
            {
                expected = existing.Written;
                refusal = $"The upload expected its next chunk at offset {existing.Written}, not {offset}.";
                return null;
            }

            existing.Busy = true;
            return existing;
        }
    }

    /// <summary>
    /// Ends a chunk begun with <see cref="BeginChunk"/>: <paramref name="written"/> bytes were written; with
    /// <paramref name="keep"/> false the upload is over (finished, or failed and no longer resumable).
    /// </summary>
    public void EndChunk(SshFileUpload upload, long written, bool keep)
    {
        lock (_lock)
        {
            upload.Written += written;
            upload.Busy = false;
            if (!keep && _uploads.TryGetValue(upload.Path, out var current) && ReferenceEquals(current, upload))
            {
                _uploads.Remove(upload.Path);
            }
        }
    }

    /// <summary>Closes the SFTP connection (waiting for an attempt in progress); returns the uploads left unfinished.</summary>
    public async Task<IReadOnlyList<SshFileUpload>> CloseAsync()
    {
        Task<ISftpSession>? connecting;
        List<SshFileUpload> unfinished;
        lock (_lock)
        {
            if (_closed)
            {
                return [];
            }

            _closed = true;
            connecting = _connecting;
            _connecting = null;
            unfinished = [.. _uploads.Values];
            _uploads.Clear();
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        if (connecting is not null)
        {
            ISftpSession? sftp = null;
            try
            {
                sftp = await connecting.ConfigureAwait(false);
            }
            catch (Exception e) when (e is SshFailure or SftpFailure or OperationCanceledException)
            {
                // never connected: nothing to close
            }

            if (sftp is not null)
            {
                await sftp.DisposeAsync().ConfigureAwait(false);
            }
        }

        _closing.Dispose();
        return unfinished;
    }
}
