using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Storage;
using Oriel.Recording;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The playable file of a recording: a TDP recording the browser's player (and the video export) reads. For a
/// <c>tdp</c> recording that is the recording itself; for a passthrough (<c>rfb-passthrough</c>) recording it is
/// the TDP recording <see cref="PassthroughTranscoder"/> makes from it, <see cref="RecordingPaths.TdpReplay"/>,
/// made on first use and kept. A kept file is used while the source has the length it was made from (its header
/// says so); a source that grew (a session still being recorded) is transcoded again. Callers asking at the same
/// time share one transcode; it runs on the thread pool, is written to a temporary name and renamed into place, so
/// a reader never sees half a file. A source that cannot be transcoded gives <see cref="RecordingUnplayableException"/>
/// (remembered for that source length, so repeated requests do not redo the work). Singleton; thread-safe.
/// </summary>
public sealed partial class PlayableRecordings : IPlayableRecordings, IDisposable
{
    private readonly RecordingPaths _paths;
    private readonly JpegSupport _jpeg;
    private readonly ILogger<PlayableRecordings> _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Job> _running = [];
    private readonly Dictionary<string, (long Length, RecordingUnplayableException Error)> _failed = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private long _transcodes;

    public PlayableRecordings(RecordingPaths paths, JpegSupport jpeg, ILogger<PlayableRecordings> log)
    {
        _paths = paths;
        _jpeg = jpeg;
        _log = log;
    }

    /// <summary>Transcodes started since the gateway started (diagnostics and tests).</summary>
    public long TranscodeCount => Interlocked.Read(ref _transcodes);

    /// <summary>Test hook: awaited at the start of each transcode, before the source is read.</summary>
    internal Func<CancellationToken, Task>? TranscodeStarting { get; set; }

    /// <summary>
    /// The path of the TDP recording to play for catalog row <paramref name="r"/>: the file itself for kind
    /// <c>tdp</c>; for <c>rfb-passthrough</c> the transcoded file, made or re-made when needed (see
    /// <see cref="GetTdpFileAsync(string, string, CancellationToken)"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The recording's file is gone.</exception>
    /// <exception cref="RecordingUnplayableException">The recording cannot be played (the message says why).</exception>
    public Task<string> GetTdpFileAsync(RecordingRecord r, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        return GetTdpFileAsync(r.Id, r.Kind, ct);
    }

    /// <summary>
    /// The path of the TDP recording to play for recording <paramref name="id"/> of header kind
    /// <paramref name="kind"/>: the file itself for <c>tdp</c>; for <c>rfb-passthrough</c> the transcoded file, made
    /// or re-made when needed. <paramref name="ct"/> ends this caller's wait, not a transcode other callers share.
    /// </summary>
    /// <exception cref="FileNotFoundException">The recording's file is gone.</exception>
    /// <exception cref="RecordingUnplayableException">The recording cannot be played (the message says why).</exception>
    public async Task<string> GetTdpFileAsync(string id, string kind, CancellationToken ct)
    {
        var source = _paths.StreamRecording(id);
        if (kind == StreamRecordingHeader.TdpKind)
        {
            return File.Exists(source) ? source : throw new FileNotFoundException("the recording's file is gone", source);
        }
        if (kind == AsciicastRecorder.Kind)
        {
            throw new RecordingUnplayableException(AsciicastRecorder.NotDesktopSentence);
        }
        if (kind != StreamRecordingHeader.RfbPassthroughKind)
        {
            throw new RecordingUnplayableException($"Recordings of kind '{kind}' cannot be played.");
        }
        var length = SourceLength(source);
        var target = _paths.TdpReplay(id);
        if (TranscodedFrom(target) == length) return target;

        Task job;
        lock (_lock)
        {
            if (_failed.TryGetValue(id, out var failure) && failure.Length == length) throw failure.Error;
            if (_running.TryGetValue(id, out var current) && current.SourceLength >= length)
            {
                job = current.Task;
            }
            else
            {
                // A transcode of a shorter source may still run: the new one starts after it, so two never write at once.
                var previous = current?.Task ?? Task.CompletedTask;
                var next = new Job(length);
                next.Task = RunAfterAsync(previous, id, source, target, next);
                _running[id] = next;
                job = next.Task;
            }
        }
        await job.WaitAsync(ct).ConfigureAwait(false);
        return target;
    }

    /// <summary>Forgets a recording's remembered failure and removes its transcoded file (retention, deletion).</summary>
    public void DeleteTranscoded(string id)
    {
        lock (_lock)
        {
            _failed.Remove(id);
        }
        File.Delete(_paths.TdpReplay(id));
    }

    private async Task RunAfterAsync(Task previous, string id, string source, string target, Job job)
    {
        await Task.Yield(); // never completes under the caller's lock
        try
        {
            try
            {
                await previous.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // the earlier transcode's callers saw its error; this one starts afresh
            }
            await Task.Run(() => RunAsync(id, source, target), _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                if (_running.TryGetValue(id, out var current) && ReferenceEquals(current, job)) _running.Remove(id);
            }
        }
    }

    private async Task RunAsync(string id, string source, string target)
    {
        var ct = _stopping.Token;
        if (TranscodeStarting is { } hook) await hook(ct).ConfigureAwait(false);
        using var input = new FileStream(source, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0 });
        var length = input.Length;
        if (TranscodedFrom(target) == length) return; // made meanwhile, by an earlier job
        Interlocked.Increment(ref _transcodes);
        _paths.EnsureDirectory();
        var temporary = $"{target}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        try
        {
            PassthroughTranscodeResult result;
            using (var jpeg = _jpeg.CreateCodec())
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var output = new FileStream(temporary, options);
                result = PassthroughTranscoder.Transcode(input, length, output, jpeg, ct: ct);
                output.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
            lock (_lock)
            {
                _failed.Remove(id);
            }
            Log.Transcoded(_log, id, length, result.Frames, result.Keyframes, result.SourceComplete);
        }
        catch (RecordingUnplayableException e)
        {
            lock (_lock)
            {
                _failed[id] = (length, e);
            }
            Log.Unplayable(_log, id, e.Message);
            throw;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static long SourceLength(string source)
    {
        var info = new FileInfo(source);
        return info.Exists ? info.Length : throw new FileNotFoundException("the recording's file is gone", source);
    }

    /// <summary>The source length a transcoded file was made from; null when there is none (or not a current one).</summary>
    private static long? TranscodedFrom(string target)
    {
        try
        {
            using var stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return PassthroughTranscoder.ReadSourceBytes(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Stops transcodes in progress. Idempotent: the container disposes it once as itself and once as <see cref="IPlayableRecordings"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>One transcode: the source length it covers at least, and its task.</summary>
    private sealed class Job(long sourceLength)
    {
        public long SourceLength { get; } = sourceLength;

        public Task Task { get; set; } = Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3871, Level = LogLevel.Information, Message = "Recording {RecordingId}: transcoded {SourceBytes} bytes of passthrough recording into TDP, {Frames} frames, {Keyframes} keyframes (source complete: {Complete})")]
        public static partial void Transcoded(ILogger logger, string recordingId, long sourceBytes, int frames, int keyframes, bool complete);

        [LoggerMessage(EventId = 3872, Level = LogLevel.Warning, Message = "Recording {RecordingId} cannot be played: {Reason}")]
        public static partial void Unplayable(ILogger logger, string recordingId, string reason);
    }
}
