using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Recordings.Export;
using Oriel.Graphics;
using Oriel.Recording;
using Oriel.TestPeers;

namespace Oriel.Gateway.Tests.Export;

/// <summary>
/// The exporter on what the gateway's own recorder writes: a desktop surface (the live session's encoder and flow
/// control) tee'd into a <c>TdpRecorder</c>, painted in flat colours at known times, recorded with keyframes, then
/// exported to MP4 with Debian's ffmpeg and measured: the video lasts as long as the recording and shows, at each
/// sampled time, the colours that were on the screen.
/// </summary>
public sealed class RecordedSessionExportTests : IDisposable
{
    private const uint Red = 0xFF0000, Green = 0x00FF00, Blue = 0x0000FF, Yellow = 0xFFFF00;

    private readonly string _dir = TestGateway.NewDataDir();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_recorded_session_exports_to_a_video_of_its_length_showing_its_screen()
    {
        var f = await RecordingServiceTests.NewAsync(_dir, _time);
        var live = RecordingServiceTests.Live(_time);
        using var recorder = (await f.Service.StartTdpAsync(live, RecordingServiceTests.Desk(), RecordingServiceTests.Mode(Storage.RecordingMode.BestEffort), CancellationToken.None))!;
        var framebuffer = new Framebuffer(96, 64);
        var browser = new RecordingTdpSender();
        using var surface = new DesktopSurface(recorder.WrapSender(browser), () => framebuffer, () => { }, live, new FrameEncoderOptions(), _time);
        recorder.SurfaceOpened(surface);
        await surface.OpenAsync(96, 64, updatePending: true);
        uint frame = 1;

        async Task PaintAsync(Rect area, uint color)
        {
            framebuffer.Fill(area, color);
            surface.Damage(area);
            await surface.UpdateCompletedAsync();
            await surface.AcknowledgeAsync(frame++);
        }

        await PaintAsync(framebuffer.Bounds, Red);                  // 0 s: all red
        _time.Advance(TimeSpan.FromSeconds(2));
        await PaintAsync(new Rect(0, 0, 48, 64), Green);            // 2 s: left half green
        _time.Advance(TimeSpan.FromSeconds(2));
        await PaintAsync(new Rect(48, 32, 48, 32), Blue);           // 4 s: bottom right blue
        _time.Advance(TimeSpan.FromSeconds(3));
        await PaintAsync(new Rect(0, 0, 48, 32), Yellow);           // 7 s: top left yellow (after a 5 s keyframe interval)
        _time.Advance(TimeSpan.FromSeconds(1.5));
        await f.Service.CompleteAsync(recorder.File, Sessions.SessionEndReason.UserDisconnected, "The browser left the session.");

        var read = StreamRecordingReader.ReadAll(await File.ReadAllBytesAsync(recorder.File.Path));
        Assert.Equal(8_500_000, read.End!.DurationMicroseconds);
        Assert.Contains(read.Records, r => r.Kind == StreamRecordKind.Keyframe);

        var video = Path.Combine(_dir, "session.mp4");
        var exporter = new RecordingExporter(JpegSupport.TurboJpeg(), new RecordingExportOptions { X264Preset = "ultrafast" }, NullLogger<RecordingExporter>.Instance);
        var result = await exporter.ExportAsync(recorder.File.Path, video, RecordingExportFormat.Mp4, null, CancellationToken.None);
        Assert.Equal((96, 64, 213L, (string?)null), (result.Width, result.Height, result.Frames, result.Problem)); // 8.5 s x 25 fps, rounded

        var probe = await ProcessRunner.RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", video);
        Assert.True(probe.ExitCode == 0, probe.StandardError);
        var duration = double.Parse(probe.StandardOutputText.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(duration - 8.5) <= 1.0 / 25, $"video lasts {duration} s, the recording 8.5 s");

        (double T, int X, int Y, uint Color)[] samples =
        [
            (1.0, 24, 16, Red), (1.0, 72, 48, Red),
            (3.0, 24, 16, Green), (3.0, 72, 16, Red), (3.0, 72, 48, Red),
            (5.0, 24, 48, Green), (5.0, 72, 48, Blue), (5.0, 72, 16, Red),
            (8.0, 24, 16, Yellow), (8.0, 24, 48, Green), (8.0, 72, 48, Blue),
        ];
        foreach (var (t, x, y, color) in samples)
        {
            var png = await ProcessRunner.RunAsync("ffmpeg", "-v", "error", "-ss", t.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", video,
                "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
            Assert.True(png.ExitCode == 0, png.StandardError);
            var i = ((y * 96) + x) * 3;
            int[] actual = [png.StandardOutput[i], png.StandardOutput[i + 1], png.StandardOutput[i + 2]];
            int[] expected = [(int)(color >> 16), (int)(color >> 8) & 0xFF, (int)color & 0xFF];
            Assert.True(actual.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 40),
                $"at {t} s ({x},{y}): rgb({actual[0]},{actual[1]},{actual[2]}), expected rgb({expected[0]},{expected[1]},{expected[2]})");
        }
    }
}
