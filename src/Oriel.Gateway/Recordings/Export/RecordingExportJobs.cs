using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Wire;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// Video exports as background jobs for the web page (CONTRACTS.md section 3): a bounded queue
/// (<see cref="RecordingExportOptions.MaxQueuedJobs"/> waiting or running at most, of which
/// <see cref="RecordingExportOptions.MaxConcurrentJobs"/> render at once), each job's state and progress,
/// and its video in <c>DATA/exports/</c> (0700, files 0600) until <see cref="RecordingExportOptions.KeepFor"/>
/// after it finished; then a sweep deletes the file and forgets the job. Jobs live in memory: files left by
/// an earlier run are deleted at start. Stopping the host cancels running jobs (ffmpeg killed, partial
/// files deleted).
/// </summary>
public sealed class RecordingExportJobs : IHostedService, IAsyncDisposable
{
    /// <summary>The directory under the data directory.</summary>
    public const string DirectoryName = "exports";

    private readonly RecordingExporter _exporter;
    private readonly RecordingExportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordingExportJobs> _log;
    private readonly ConcurrentDictionary<string, RecordingExportJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _sweep;
    private int _disposed;

    public RecordingExportJobs(RecordingExporter exporter, GatewayOptions options, TimeProvider time, ILogger<RecordingExportJobs> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _exporter = exporter;
        _options = options.RecordingExport;
        _time = time;
        _log = log;
        Directory = Path.Combine(options.DataDirectory, DirectoryName);
        _slots = new SemaphoreSlim(Math.Clamp(_options.MaxConcurrentJobs, 1, 4));
    }

    /// <summary>DATA/exports.</summary>
    public string Directory { get; }

    /// <summary>
    /// Queues an export of recording <paramref name="recordingId"/>, whose TDP recording file
    /// <paramref name="recordingFile"/> finds (or makes) when the job runs. Returns null when
    /// <see cref="RecordingExportOptions.MaxQueuedJobs"/> jobs are already waiting or running.
    /// </summary>
    public RecordingExportJob? Enqueue(string recordingId, Func<CancellationToken, Task<string>> recordingFile, RecordingExportFormat format,
        string ownerUserId, string ownerName)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        lock (_jobs)
        {
            var active = _jobs.Values.Count(j => j.Snapshot.State is RecordingExportJobState.Queued or RecordingExportJobState.Running);
            if (active >= _options.MaxQueuedJobs)
            {
                return null;
            }
            PrivateDataDirectory.EnsurePrivateDirectory(Directory);
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var output = Path.Combine(Directory, id + RecordingExportFormats.Extension(format));
            var job = new RecordingExportJob(id, recordingId, recordingFile, format, ownerUserId, ownerName, output, _time.GetUtcNow());
            _jobs[id] = job;
            ExportLog.JobQueued(_log, id, recordingId, RecordingExportFormats.Name(format), ownerName);
            _running[id] = RunAsync(job);
            return job;
        }
    }

    /// <summary>The job with this id, when it exists and has not expired.</summary>
    public RecordingExportJob? Find(string jobId) => _jobs.TryGetValue(jobId, out var job) ? job : null;

    /// <summary>Cancels a job (ffmpeg killed, partial file deleted) and forgets it with its video. False when there is no such job.</summary>
    public async Task<bool> CancelAsync(string jobId)
    {
        if (!_jobs.TryRemove(jobId, out var job))
        {
            return false;
        }
        await job.Cancellation.CancelAsync().ConfigureAwait(false);
        if (_running.TryGetValue(jobId, out var task))
        {
            await task.ConfigureAwait(false);
            _running.TryRemove(jobId, out _);
        }
        job.Cancellation.Dispose();
        DeleteFile(job.OutputPath);
        return true;
    }

    private async Task RunAsync(RecordingExportJob job)
    {
        // Let Enqueue return before the job runs.
        await Task.Yield();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation.Token, _stopping.Token);
        var ct = linked.Token;
        try
        {
            await _slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                job.Start();
                var path = await job.RecordingFile(ct).ConfigureAwait(false);
                await _exporter.ExportAsync(path, job.OutputPath, job.Format, job, ct).ConfigureAwait(false);
                job.Succeed(_time.GetUtcNow());
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException)
        {
            job.Fail("the export was cancelled", _time.GetUtcNow());
        }
        catch (Exception e) when (e is RecordingExportException or DecodeException or IOException or UnauthorizedAccessException)
        {
            var why = e is DecodeException ? "the recording is damaged: " + e.Message : e.Message;
            job.Fail(why, _time.GetUtcNow());
            ExportLog.JobFailed(_log, job.JobId, job.RecordingId, why);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not the recording's fault: the job still ends (failed) rather than staying "running".
            job.Fail("the export failed unexpectedly; the gateway's log has the details", _time.GetUtcNow());
            ExportLog.JobCrashed(_log, job.JobId, job.RecordingId, e);
        }
    }

    /// <summary>Deletes the files and states of jobs that finished longer than <see cref="RecordingExportOptions.KeepFor"/> ago.</summary>
    public int Sweep()
    {
        var cutoff = _time.GetUtcNow() - _options.KeepFor;
        var count = 0;
        foreach (var job in _jobs.Values)
        {
            if (job.Snapshot.Finished is { } finished && finished <= cutoff && _jobs.TryRemove(job.JobId, out _))
            {
                _running.TryRemove(job.JobId, out _);
                job.Cancellation.Dispose();
                DeleteFile(job.OutputPath);
                count++;
            }
        }
        if (count > 0)
        {
            ExportLog.Expired(_log, count);
        }
        return count;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Jobs do not outlive the process: what an earlier run left is unreachable.
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
            {
                DeleteFile(file);
            }
        }
        var period = TimeSpan.FromTicks(Math.Clamp(_options.KeepFor.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(5).Ticks));
        _sweep = _time.CreateTimer(_ => Sweep(), null, period, period);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }
        if (_sweep is not null)
        {
            await _sweep.DisposeAsync().ConfigureAwait(false);
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops (if the host has not) and releases; safe to call more than once (the host and the container both may).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping.Dispose();
        _slots.Dispose();
    }

    private void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ExportLog.ExpireFailed(_log, path, e);
        }
    }
}
