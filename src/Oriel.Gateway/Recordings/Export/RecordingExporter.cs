using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Hosting;
using Oriel.Graphics;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// Renders a TDP recording (header kind <c>tdp</c>, docs/recording.md) to an MP4 or WebM video with ffmpeg.
/// Two passes over the file, each reading one record at a time: the first finds the duration and every
/// desktop size, the second plays the ServerData messages into a <see cref="TdpScreenRenderer"/> and samples
/// its screen at a constant frame rate, frame k at time k / rate, from 0 until the recording's duration:
/// round(duration × rate) frames (at least one), so the video's duration equals the recording's within half
/// a frame. Frames go to ffmpeg as raw pixels on a pipe.
/// </summary>
/// <remarks>
/// <para>Size: the video is as wide as the widest desktop of the recording and as tall as the tallest,
/// rounded up to even sizes (4:2:0 needs them). A smaller desktop is drawn 1:1 at the top-left and the rest
/// of the frame is black: pixels are never scaled, so text stays sharp and a sampled pixel of the video is
/// the pixel the browser showed.</para>
/// <para>The cursor is drawn where the recorded input (ClientData mouse moves, when the role records input)
/// puts the pointer; without recorded input there is no position and no cursor.</para>
/// <para>Output is written to <c>FILE.partial</c> next to the target and renamed when ffmpeg has finished;
/// on failure or cancellation ffmpeg is killed and the partial file deleted.</para>
/// </remarks>
public sealed class RecordingExporter(JpegSupport jpeg, RecordingExportOptions options, ILogger<RecordingExporter> log)
{
    /// <summary>The suffix of the file being written.</summary>
    public const string PartialSuffix = ".partial";

    public RecordingExportOptions Options => options;

    /// <summary>
    /// Renders <paramref name="recordingPath"/> to <paramref name="outputPath"/> (replaced if it exists).
    /// Throws <see cref="RecordingExportException"/> (ffmpeg missing or failing, not a TDP recording, no screen),
    /// <see cref="DecodeException"/> (a malformed TDP message or image), <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<RecordingExportResult> ExportAsync(string recordingPath, string outputPath, RecordingExportFormat format,
        IProgress<RecordingExportProgress>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordingPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (options.FrameRate is < 1 or > 60)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "the frame rate must be 1..60");
        }
        var scan = await ScanAsync(recordingPath, ct).ConfigureAwait(false);
        var rate = options.FrameRate;
        var frames = Math.Max(1L, (long)Math.Round(scan.DurationMicroseconds * (double)rate / 1_000_000, MidpointRounding.AwayFromZero));
        var width = (scan.MaxWidth + 1) & ~1;
        var height = (scan.MaxHeight + 1) & ~1;
        ExportLog.Started(log, Path.GetFileName(recordingPath), RecordingExportFormats.Name(format), width, height, frames);

        var partial = outputPath + PartialSuffix;
        var done = false;
        try
        {
            await using (var encoder = FfmpegVideoEncoder.Start(options, format, width, height, partial))
            {
                await RenderAsync(recordingPath, encoder, width, height, frames, progress, ct).ConfigureAwait(false);
                await encoder.FinishAsync(ct).ConfigureAwait(false);
            }
            File.Move(partial, outputPath, overwrite: true);
            done = true;
        }
        finally
        {
            if (!done)
            {
                TryDelete(partial);
            }
        }
        var bytes = new FileInfo(outputPath).Length;
        ExportLog.Finished(log, Path.GetFileName(recordingPath), RecordingExportFormats.Name(format), frames, bytes);
        return new RecordingExportResult(width, height, frames, rate, scan.DurationMicroseconds, bytes, scan.Problem);
    }

    /// <summary>The first pass: duration, the largest desktop, why reading stopped early.</summary>
    private static async Task<Scan> ScanAsync(string path, CancellationToken ct)
    {
        await using var reader = await OpenTdpAsync(path, ct).ConfigureAwait(false);
        var framer = new TdpStreamFramer();
        int maxWidth = 0, maxHeight = 0;
        long? end = null;
        while (await reader.NextAsync(ct).ConfigureAwait(false) is { } record)
        {
            if (record.Kind == StreamRecordKind.End)
            {
                end = record.TimeMicroseconds;
            }
            if (record.Kind == StreamRecordKind.Keyframe)
            {
                // Sizes a keyframe shows were sent as ServerData too, except when a file starts with one.
                framer.Append(KeyframePart.Parse(record.Payload.Span).Messages);
            }
            else if (record.Kind == StreamRecordKind.ServerData)
            {
                framer.Append(record.Payload.Span);
            }
            else
            {
                continue;
            }
            while (framer.TryTake(out var message))
            {
                if (message[0] == (byte)TdpMessageType.DesktopSize && TdpCodec.Decode(message) is DesktopSizeMessage size)
                {
                    maxWidth = Math.Max(maxWidth, (int)size.Width);
                    maxHeight = Math.Max(maxHeight, (int)size.Height);
                }
            }
        }
        if (maxWidth == 0)
        {
            throw new RecordingExportException("the recording shows no screen (it has no desktop size message)");
        }
        if ((long)maxWidth * maxHeight > Framebuffer.MaxPixels)
        {
            throw new RecordingExportException($"the recording's desktops span {maxWidth}x{maxHeight} pixels, more than a video frame may hold here");
        }
        return new Scan(end ?? reader.TimeMicroseconds, maxWidth, maxHeight, reader.Problem);
    }

    private static async Task<RecordingFileReader> OpenTdpAsync(string path, CancellationToken ct)
    {
        RecordingFileReader reader;
        try
        {
            reader = await RecordingFileReader.OpenAsync(path, ct).ConfigureAwait(false);
        }
        catch (DecodeException e)
        {
            throw new RecordingExportException($"the file is not a readable recording: {e.Message}", e);
        }
        if (reader.Header.Kind != StreamRecordingHeader.TdpKind)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw new RecordingExportException($"the file is a '{reader.Header.Kind}' recording, not a TDP recording; a passthrough recording is exported from its TDP transcoding");
        }
        return reader;
    }

    /// <summary>The second pass: plays the recording and writes <paramref name="frames"/> frames.</summary>
    private async Task RenderAsync(string path, FfmpegVideoEncoder encoder, int width, int height, long frames,
        IProgress<RecordingExportProgress>? progress, CancellationToken ct)
    {
        using var codec = jpeg.CreateCodec();
        var renderer = new TdpScreenRenderer(codec);
        var frame = new byte[(long)width * height * 4];
        var composed = -1L;
        var written = 0L;
        var reported = -1L;
        var rate = options.FrameRate;

        async ValueTask EmitUntilAsync(long beforeUs)
        {
            while (written < frames && FrameTime(written, rate) < beforeUs)
            {
                if (renderer.Version != composed)
                {
                    Compose(renderer, frame, width, height);
                    composed = renderer.Version;
                }
                await encoder.WriteFrameAsync(frame, ct).ConfigureAwait(false);
                written++;
                var percent = written * 100 / frames;
                if (percent != reported)
                {
                    reported = percent;
                    progress?.Report(new RecordingExportProgress(written, frames));
                }
            }
        }

        var inKeyframe = false;
        await using (var reader = await OpenTdpAsync(path, ct).ConfigureAwait(false))
        {
            while (await reader.NextAsync(ct).ConfigureAwait(false) is { } record)
            {
                if (record.Kind == StreamRecordKind.Keyframe)
                {
                    // A keyframe repeats what the stream already drew, so playing linearly skips it; but a file that
                    // starts with one (no screen yet) gets its first picture from it, all of its parts.
                    if (renderer.Screen is null || inKeyframe)
                    {
                        await EmitUntilAsync(record.TimeMicroseconds).ConfigureAwait(false);
                        inKeyframe = !ApplyKeyframePart(renderer, record.Payload);
                    }
                    continue;
                }
                if (record.Kind is not (StreamRecordKind.ServerData or StreamRecordKind.ClientData))
                {
                    continue; // markers and the other keyframes draw nothing new
                }
                // Frame k shows everything recorded up to and including its time.
                await EmitUntilAsync(record.TimeMicroseconds).ConfigureAwait(false);
                if (written == frames)
                {
                    break;
                }
                if (record.Kind == StreamRecordKind.ServerData)
                {
                    renderer.FeedServer(record.Payload.Span);
                }
                else
                {
                    renderer.FeedClient(record.Payload.Span);
                }
            }
        }
        await EmitUntilAsync(long.MaxValue).ConfigureAwait(false);
    }

    /// <summary>Draws the messages of one keyframe part; true when it was the last part.</summary>
    private static bool ApplyKeyframePart(TdpScreenRenderer renderer, ReadOnlyMemory<byte> payload)
    {
        var part = KeyframePart.Parse(payload.Span);
        renderer.FeedServer(part.Messages);
        return part.Last;
    }

    /// <summary>The time of frame <paramref name="k"/> in microseconds.</summary>
    private static long FrameTime(long k, int rate) => k * 1_000_000 / rate;

    /// <summary>Copies the screen 1:1 to the top-left of the frame, black elsewhere, and draws the cursor.</summary>
    internal static void Compose(TdpScreenRenderer renderer, byte[] frame, int width, int height)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(frame.AsSpan());
        pixels.Clear();
        if (renderer.Screen is not { } screen)
        {
            return;
        }
        var w = Math.Min(width, screen.Width);
        var h = Math.Min(height, screen.Height);
        for (var y = 0; y < h; y++)
        {
            screen.Row(y)[..w].CopyTo(pixels.Slice(y * width, w));
        }
        if (renderer.Cursor is { } cursor && renderer.Pointer is { } pointer)
        {
            DrawCursor(pixels, w, h, width, cursor, pointer.X - cursor.HotspotX, pointer.Y - cursor.HotspotY);
        }
    }

    private static void DrawCursor(Span<uint> pixels, int visibleWidth, int visibleHeight, int stride, CursorShapeMessage cursor, int left, int top)
    {
        for (var cy = 0; cy < cursor.Height; cy++)
        {
            var y = top + cy;
            if (y < 0 || y >= visibleHeight)
            {
                continue;
            }
            for (var cx = 0; cx < cursor.Width; cx++)
            {
                var x = left + cx;
                if (x < 0 || x >= visibleWidth)
                {
                    continue;
                }
                var i = ((cy * cursor.Width) + cx) * 4;
                uint a = cursor.Rgba[i + 3];
                if (a == 0)
                {
                    continue;
                }
                var at = (y * stride) + x;
                var under = pixels[at];
                pixels[at] = Mix(cursor.Rgba[i], under, 16, a) | Mix(cursor.Rgba[i + 1], under, 8, a) | Mix(cursor.Rgba[i + 2], under, 0, a);
            }
        }
    }

    /// <summary>One channel of straight alpha <paramref name="a"/> over an opaque pixel, rounded to nearest.</summary>
    private static uint Mix(uint source, uint under, int shift, uint a) => (((source * a) + (((under >> shift) & 0xFF) * (255 - a)) + 127) / 255) << shift;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record Scan(long DurationMicroseconds, int MaxWidth, int MaxHeight, string? Problem);
}
