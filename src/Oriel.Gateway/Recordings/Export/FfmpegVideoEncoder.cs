using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// One ffmpeg process that reads raw frames on its standard input (<c>-f rawvideo</c>, 4 bytes a pixel in
/// the framebuffer's memory order) at a constant frame rate and writes an MP4 (H.264, yuv420p) or a WebM
/// (VP9, yuv420p) file. Started without a shell (<see cref="ProcessStartInfo.ArgumentList"/>); its
/// standard error is kept (the last few KiB) for the error message. <see cref="DisposeAsync"/> kills a
/// process that has not finished.
/// </summary>
internal sealed class FfmpegVideoEncoder : IAsyncDisposable
{
    private const int StderrTail = 4096;

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Task _stderr;
    private readonly StringBuilder _errors = new();
    private bool _finished;

    private FfmpegVideoEncoder(Process process)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _stderr = DrainErrorsAsync(process.StandardError);
        // Nothing is written to standard output (the video goes to a file); read it so it never blocks.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
    }

    /// <summary>The pixel format of the framebuffer's memory: 0x00RRGGBB words are B, G, R, 0 bytes on a little-endian machine.</summary>
    public static string RawPixelFormat => BitConverter.IsLittleEndian ? "bgr0" : "0rgb";

    /// <summary>The ffmpeg arguments for <paramref name="width"/> x <paramref name="height"/> (both even) frames.</summary>
    public static IReadOnlyList<string> Arguments(RecordingExportOptions options, RecordingExportFormat format, int width, int height, string output)
    {
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "error", "-nostats", "-y",
            "-f", "rawvideo", "-pix_fmt", RawPixelFormat,
            "-s", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"),
            "-framerate", options.FrameRate.ToString(CultureInfo.InvariantCulture),
            "-i", "pipe:0",
            "-an",
        };
        if (format == RecordingExportFormat.WebM)
        {
            args.AddRange([
                "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-deadline", "realtime",
                "-cpu-used", options.VpxCpuUsed.ToString(CultureInfo.InvariantCulture), "-row-mt", "1",
                "-b:v", "0", "-crf", "32", "-f", "webm",
            ]);
        }
        else
        {
            args.AddRange([
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", options.X264Preset, "-tune", "stillimage",
                "-crf", "23", "-movflags", "+faststart", "-f", "mp4",
            ]);
        }
        args.Add(output);
        return args;
    }

    /// <summary>Starts ffmpeg. Throws <see cref="RecordingExportException"/> when it cannot be started (not installed).</summary>
    public static FfmpegVideoEncoder Start(RecordingExportOptions options, RecordingExportFormat format, int width, int height, string output)
    {
        var start = new ProcessStartInfo(options.FfmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in Arguments(options, format, width, height, output))
        {
            start.ArgumentList.Add(a);
        }
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new RecordingExportException(MissingMessage(options.FfmpegPath, e.Message), e);
        }
        return new FfmpegVideoEncoder(process ?? throw new RecordingExportException(MissingMessage(options.FfmpegPath, "it did not start")));
    }

    /// <summary>What to tell a user when ffmpeg is not there.</summary>
    public static string MissingMessage(string program, string why) =>
        $"video export needs ffmpeg, and '{program}' could not be run ({why}); install Debian's ffmpeg package (apt-get install ffmpeg)";

    /// <summary>Hands one frame to ffmpeg; waits while its input pipe is full.</summary>
    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        try
        {
            await _stdin.WriteAsync(frame, ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // ffmpeg closed its input: it failed; its own message says why.
            await WaitExitAsync(ct).ConfigureAwait(false);
            throw Failed(e);
        }
    }

    /// <summary>Closes ffmpeg's input and waits for it to write the file; throws <see cref="RecordingExportException"/> when it fails.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        try
        {
            await _stdin.FlushAsync(ct).ConfigureAwait(false);
            await _stdin.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Reported below from the exit code and standard error.
        }
        await WaitExitAsync(ct).ConfigureAwait(false);
        if (_process.ExitCode != 0)
        {
            throw Failed(null);
        }
    }

    private async Task WaitExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct).ConfigureAwait(false);
        await _stderr.ConfigureAwait(false);
        _finished = true;
    }

    private RecordingExportException Failed(Exception? inner)
    {
        string detail;
        lock (_errors)
        {
            detail = _errors.ToString().Trim();
        }
        var message = $"ffmpeg failed (exit code {(_process.HasExited ? _process.ExitCode : -1)})" + (detail.Length > 0 ? ": " + detail : "");
        return inner is null ? new RecordingExportException(message) : new RecordingExportException(message, inner);
    }

    private async Task DrainErrorsAsync(StreamReader stderr)
    {
        var buffer = new char[1024];
        int n;
        while ((n = await stderr.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_errors)
            {
                _errors.Append(buffer, 0, n);
                if (_errors.Length > StderrTail)
                {
                    _errors.Remove(0, _errors.Length - StderrTail);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped.
            }
            try
            {
                await _stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The pipe is broken: ffmpeg is gone.
            }
        }
        _process.Dispose();
    }
}
