using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Cli;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Recordings.Export;
using Oriel.Gateway.Storage;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.Gateway.Tests.Export;

/// <summary>
/// Video export against Debian's real ffmpeg: a generated 10-second recording with a desktop resize in the
/// middle is exported to MP4 and WebM, then ffprobe measures the duration and ffmpeg extracts frames whose
/// sampled regions must show the recording's (flat) colours at those times. Also the CLI, the background jobs
/// through the HTTP endpoints, cancellation, and a missing ffmpeg.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RecordingExportTests : IDisposable
{
    private const uint Red = 0xFF0000, Green = 0x00FF00, Blue = 0x0000FF;
    private const int FrameRate = 25;
    private const double Duration = 10.0;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "oriel-export-tests", Guid.NewGuid().ToString("N"));

    public RecordingExportTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// 64x48 red; at 2.5 s the left half turns green; at 5 s the desktop grows to 80x48 and the new strip is
    /// blue; at 7.5 s the green half is copied over the right half; the recording ends at 10 s.
    /// </summary>
    private static byte[] TenSecondRecording() => new TdpRecordingBuilder()
        .Send(0, TdpRecordingBuilder.Size(64, 48), TdpRecordingBuilder.Png(0, 0, 64, 48, Red), new FrameMarkerMessage(1))
        .Send(2.5, TdpRecordingBuilder.Png(0, 0, 32, 48, Green), new FrameMarkerMessage(2))
        .Send(5.0, TdpRecordingBuilder.Size(80, 48), TdpRecordingBuilder.Png(64, 0, 16, 48, Blue), new FrameMarkerMessage(3))
        .Send(7.5, new CopyRectMessage(0, 0, 32, 48, 32, 0), new FrameMarkerMessage(4))
        .Finish(Duration);

    /// <summary>(time, x, y, colour): the centre of each area, away from edges that 4:2:0 blurs.</summary>
    private static readonly (double T, int X, int Y, uint Color)[] Samples =
    [
        (1.0, 16, 24, Red), (1.0, 48, 24, Red), (1.0, 72, 24, 0),
        (3.75, 16, 24, Green), (3.75, 48, 24, Red),
        (6.25, 16, 24, Green), (6.25, 48, 24, Red), (6.25, 72, 24, Blue),
        (8.75, 48, 24, Green), (8.75, 72, 24, Blue), (9.9, 48, 24, Green),
    ];

    private static RecordingExporter NewExporter(RecordingExportOptions? options = null) =>
        new(JpegSupport.TurboJpeg(), options ?? new RecordingExportOptions { X264Preset = "ultrafast" }, NullLogger<RecordingExporter>.Instance);

    [Theory]
    [InlineData(RecordingExportFormat.Mp4)]
    [InlineData(RecordingExportFormat.WebM)]
    public async Task A_recording_exports_to_a_video_of_its_duration_showing_its_pixels(RecordingExportFormat format)
    {
        var recording = Path.Combine(_dir, "ten.orec");
        await File.WriteAllBytesAsync(recording, TenSecondRecording());
        var video = Path.Combine(_dir, "ten" + RecordingExportFormats.Extension(format));
        var reports = new List<RecordingExportProgress>();
        var progress = new SyncProgress(reports.Add);

        var result = await NewExporter().ExportAsync(recording, video, format, progress, CancellationToken.None);

        Assert.Equal((80, 48, 250L, FrameRate, 10_000_000L, (string?)null), (result.Width, result.Height, result.Frames, result.FrameRate, result.DurationMicroseconds, result.Problem));
        Assert.Equal(new RecordingExportProgress(250, 250), reports[^1]);
        Assert.True(reports.Count is > 10 and <= 101, $"{reports.Count} progress reports");
        Assert.False(File.Exists(video + RecordingExporter.PartialSuffix));
        await AssertVideoAsync(video, format == RecordingExportFormat.Mp4 ? "h264" : "vp9", Duration);
    }

    [Fact]
    public async Task The_cli_exports_by_recording_id_with_progress_on_stderr()
    {
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(Path.Combine(data, "recordings"));
        await File.WriteAllBytesAsync(Path.Combine(data, "recordings", "abc123.orec"), TenSecondRecording());
        var video = Path.Combine(_dir, "out.mp4");

        var (code, output, error) = await RunCliAsync(data, "recordings", "export", "abc123", "--format", "mp4", "--output", video);
        Assert.True(code == 0, error);
        Assert.Contains("exporting abc123: 100% (250/250 frames)", error, StringComparison.Ordinal);
        Assert.Contains("exporting abc123: 50%", error, StringComparison.Ordinal);
        Assert.Contains($"wrote {video}: mp4, 80x48, 250 frames at 25 fps (10 s)", output, StringComparison.Ordinal);
        await AssertVideoAsync(video, "h264", Duration);

        var missing = await RunCliAsync(data, "recordings", "export", "nope", "--format", "webm");
        Assert.Equal(1, missing.Code);
        Assert.Contains("error: no recording 'nope'", missing.Err, StringComparison.Ordinal);

        var badFormat = await RunCliAsync(data, "recordings", "export", "abc123", "--format", "avi");
        Assert.Equal(1, badFormat.Code);
        Assert.Contains("neither mp4 nor webm", badFormat.Err, StringComparison.Ordinal);

        var audit = await RunCliAsync(data, "audit", "list", "--kind", "recording.");
        Assert.Contains("\trecording.export\tcli\t-\t-\tabc123\t", audit.Out, StringComparison.Ordinal); // no catalog row: no target
        Assert.Contains("\"recording\":\"abc123\"", audit.Out, StringComparison.Ordinal);
    }

    private static RecordingRecord Row(string id, string userId, string kind = "tdp") =>
        new(id, userId, userId, "lab", "Lab desktop", "vnc", kind, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 10_000, 1000, RecordingStatus.Complete, null);

    private static async Task AddRecordingAsync(TestGateway gw, RecordingRecord row, byte[] file)
    {
        Directory.CreateDirectory(Path.Combine(gw.DataDir, "recordings"));
        await File.WriteAllBytesAsync(Path.Combine(gw.DataDir, "recordings", row.Id + ".orec"), file);
        await gw.Get<IOrielStore>().InsertRecordingAsync(row, CancellationToken.None);
    }

    [Fact]
    public async Task Export_jobs_run_in_the_background_through_the_http_api_and_expire()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gw = await TestGateway.StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.RecordingExport.X264Preset = "ultrafast";
        });
        await AddRecordingAsync(gw, Row("feed01", "someone"), TenSecondRecording());
        using var admin = await gw.AdminClientAsync();

        using (var bad = await admin.PostJsonAsync("/api/recordings/feed01/exports", new { format = "gif" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        using (var none = await admin.PostJsonAsync("/api/recordings/nosuch/exports", new { format = "mp4" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        string jobId;
        using (var created = await admin.PostJsonAsync("/api/recordings/feed01/exports", new { format = "webm" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            jobId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        }
        Assert.Matches("^[0-9a-f]{32}$", jobId);

        var state = await WaitForJobAsync(admin, jobId);
        Assert.Equal("done", state.GetProperty("state").GetString());
        Assert.Equal(1.0, state.GetProperty("progress").GetDouble());
        Assert.Equal("feed01", state.GetProperty("recordingId").GetString());
        Assert.Equal("webm", state.GetProperty("format").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("error").ValueKind);

        var exportsDir = Path.Combine(gw.DataDir, RecordingExportJobs.DirectoryName);
        Assert.Equal(PrivateDataDirectory.DirectoryMode, File.GetUnixFileMode(exportsDir));
        var file = Assert.Single(Directory.GetFiles(exportsDir));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & PrivateDataDirectory.GroupAndOther);

        var downloaded = Path.Combine(_dir, "downloaded.webm");
        using (var r = await admin.Http.GetAsync($"/api/recordings/exports/{jobId}/file"))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("video/webm", r.Content.Headers.ContentType!.MediaType);
            Assert.Equal("attachment", r.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("feed01.webm", r.Content.Headers.ContentDisposition.FileNameStar ?? r.Content.Headers.ContentDisposition.FileName);
            await File.WriteAllBytesAsync(downloaded, await r.Content.ReadAsByteArrayAsync());
        }
        await AssertVideoAsync(downloaded, "vp9", Duration);

        var events = await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = "recording.", Limit = 10 });
        var export = Assert.Single(events, e => e.Kind == RecordingExportAuditKinds.Export);
        Assert.Equal(("admin", "lab", "feed01", jobId, "webm"),
            (export.Actor, export.Target, export.SessionId, export.Details!["jobId"]!.GetValue<string>(), export.Details["format"]!.GetValue<string>()));
        var download = Assert.Single(events, e => e.Kind == RecordingExportAuditKinds.Download);
        Assert.Equal(new FileInfo(downloaded).Length, download.Details!["bytes"]!.GetValue<long>());

        // Kept for an hour after it finished, then the sweep deletes the file and forgets the job.
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(File.Exists(file));
        clock.Advance(TimeSpan.FromMinutes(40));
        Assert.False(File.Exists(file));
        using (var gone = await admin.Http.GetAsync($"/api/recordings/exports/{jobId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task Recordings_access_decides_who_may_export_what()
    {
        await using var gw = await TestGateway.StartAsync(o => o.RecordingExport.X264Preset = "ultrafast");
        await gw.Get<RoleService>().SaveAsync(new RoleRecord("reviewers", "", [], [], false, false, true, null, false) with { Recordings = RecordingsAccess.Own }, "test");
        var (frank, _) = await gw.Get<UserService>().CreateAsync("frank", "frank-password-1", false, ["reviewers"], false, "test");
        await gw.Get<UserService>().CreateAsync("erin", "erin-password-1", false, [], false, "test");
        var small = new TdpRecordingBuilder().Send(0, TdpRecordingBuilder.Size(16, 16), TdpRecordingBuilder.Png(0, 0, 16, 16, Green)).Finish(0.5);
        await AddRecordingAsync(gw, Row("frank01", frank.Id), small);
        await AddRecordingAsync(gw, Row("other01", "someone-else"), small);
        await AddRecordingAsync(gw, Row("relay01", frank.Id, "rfb-passthrough"), small);
        using var admin = await gw.AdminClientAsync();
        using var frankClient = gw.NewClient();
        (await frankClient.SignInAsync("frank", "frank-password-1")).EnsureSuccessStatusCode();
        using var erin = gw.NewClient();
        (await erin.SignInAsync("erin", "erin-password-1")).EnsureSuccessStatusCode();

        // No recordings access at all: 403, whatever the id.
        using (var r = await erin.PostJsonAsync("/api/recordings/frank01/exports", new { format = "mp4" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }
        // Own: someone else's recording does not exist for frank.
        using (var r = await frankClient.PostJsonAsync("/api/recordings/other01/exports", new { format = "mp4" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }
        string frankJob;
        using (var r = await frankClient.PostJsonAsync("/api/recordings/frank01/exports", new { format = "mp4" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            frankJob = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        }
        Assert.Equal("done", (await WaitForJobAsync(frankClient, frankJob)).GetProperty("state").GetString());
        using (var r = await frankClient.Http.GetAsync($"/api/recordings/exports/{frankJob}/file"))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("video/mp4", r.Content.Headers.ContentType!.MediaType);
        }
        // A job is its owner's alone, even for an administrator.
        using (var r = await admin.Http.GetAsync($"/api/recordings/exports/{frankJob}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }
        // A passthrough recording is exported from its TDP transcoding; one whose file cannot be transcoded (here a
        // catalog row that says rfb-passthrough over a tdp file) fails with the transcoder's reason.
        using (var r = await frankClient.PostJsonAsync("/api/recordings/relay01/exports", new { format = "mp4" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            var job = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
            var failed = await WaitForJobAsync(frankClient, job);
            Assert.Equal("failed", failed.GetProperty("state").GetString());
            Assert.Contains("cannot be exported: The recording is of kind 'tdp', not 'rfb-passthrough'", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        // Deleting a finished job deletes its video.
        using (var r = await DeleteAsync(frankClient, $"/api/recordings/exports/{frankJob}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }
        using (var r = await frankClient.Http.GetAsync($"/api/recordings/exports/{frankJob}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(gw.DataDir, RecordingExportJobs.DirectoryName), "*.mp4"));
    }

    [Fact]
    public async Task A_recording_that_starts_with_a_keyframe_in_parts_exports_its_picture()
    {
        var png = TdpRecordingBuilder.Png(0, 0, 16, 16, Blue);
        var options = new Oriel.Recording.StreamRecordingWriterOptions { MaxKeyframePartLength = png.Size + 1 };
        var recording = Path.Combine(_dir, "key.orec");
        await File.WriteAllBytesAsync(recording, new TdpRecordingBuilder(options: options)
            .Keyframe(0, TdpRecordingBuilder.Size(16, 16), png)
            .Send(1.0, TdpRecordingBuilder.Png(0, 0, 8, 16, Green))
            .Finish(2));
        var video = Path.Combine(_dir, "key.mp4");
        var result = await NewExporter().ExportAsync(recording, video, RecordingExportFormat.Mp4, null, CancellationToken.None);
        Assert.Equal((16, 16, 50L), (result.Width, result.Height, result.Frames));
        await AssertVideoAsync(video, "h264", 2.0, [(0.5, 4, 8, Blue), (0.5, 12, 8, Blue), (1.5, 4, 8, Green), (1.5, 12, 8, Blue)]);
    }

    [Fact]
    public async Task A_failing_job_reports_why()
    {
        await using var gw = await TestGateway.StartAsync(o => o.RecordingExport.FfmpegPath = "/nonexistent/ffmpeg");
        await AddRecordingAsync(gw, Row("feed02", "someone"), TenSecondRecording());
        using var admin = await gw.AdminClientAsync();
        using var created = await admin.PostJsonAsync("/api/recordings/feed02/exports", new { format = "mp4" });
        var jobId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        var state = await WaitForJobAsync(admin, jobId);
        Assert.Equal("failed", state.GetProperty("state").GetString());
        Assert.Contains("install Debian's ffmpeg package", state.GetProperty("error").GetString(), StringComparison.Ordinal);
        using var file = await admin.Http.GetAsync($"/api/recordings/exports/{jobId}/file");
        Assert.Equal(HttpStatusCode.Conflict, file.StatusCode);
    }

    private static async Task<HttpResponseMessage> DeleteAsync(ApiClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        request.Headers.Add("X-Oriel-Csrf", await client.CsrfAsync());
        return await client.Http.SendAsync(request);
    }

    [Fact]
    public async Task Cancelling_kills_ffmpeg_and_leaves_no_file()
    {
        var recording = Path.Combine(_dir, "long.orec");
        await File.WriteAllBytesAsync(recording, new TdpRecordingBuilder()
            .Send(0, TdpRecordingBuilder.Size(64, 48), TdpRecordingBuilder.Png(0, 0, 64, 48, Red))
            .Finish(60));
        var video = Path.Combine(_dir, "long.mp4");
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.FramesDone >= 100) cts.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewExporter().ExportAsync(recording, video, RecordingExportFormat.Mp4, progress, cts.Token));
        Assert.Empty(Directory.GetFiles(_dir, "long.mp4*"));
    }

    [Fact]
    public async Task Clear_errors_for_a_missing_ffmpeg_and_for_files_that_are_not_tdp_recordings()
    {
        var recording = Path.Combine(_dir, "r.orec");
        await File.WriteAllBytesAsync(recording, TenSecondRecording());
        var missing = await Assert.ThrowsAsync<RecordingExportException>(() =>
            NewExporter(new RecordingExportOptions { FfmpegPath = "/nonexistent/ffmpeg" }).ExportAsync(recording, Path.Combine(_dir, "r.mp4"), RecordingExportFormat.Mp4, null, CancellationToken.None));
        Assert.Contains("video export needs ffmpeg", missing.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install ffmpeg", missing.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "r.mp4*"));

        var passthrough = Path.Combine(_dir, "p.orec");
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        var w = new Oriel.Recording.StreamRecordingWriter(writer, new Oriel.Recording.StreamRecordingHeader { Kind = Oriel.Recording.StreamRecordingHeader.RfbPassthroughKind });
        w.Finish(1000);
        await File.WriteAllBytesAsync(passthrough, writer.WrittenSpan.ToArray());
        var notTdp = await Assert.ThrowsAsync<RecordingExportException>(() => NewExporter().ExportAsync(passthrough, Path.Combine(_dir, "p.mp4"), RecordingExportFormat.Mp4, null, CancellationToken.None));
        Assert.Contains("'rfb-passthrough' recording, not a TDP recording", notTdp.Message, StringComparison.Ordinal);

        var blank = Path.Combine(_dir, "blank.orec");
        await File.WriteAllBytesAsync(blank, new TdpRecordingBuilder().Finish(5));
        var noScreen = await Assert.ThrowsAsync<RecordingExportException>(() => NewExporter().ExportAsync(blank, Path.Combine(_dir, "b.mp4"), RecordingExportFormat.Mp4, null, CancellationToken.None));
        Assert.Contains("no desktop size", noScreen.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_off_recording_exports_up_to_its_last_record()
    {
        var recording = Path.Combine(_dir, "cut.orec");
        await File.WriteAllBytesAsync(recording, new TdpRecordingBuilder()
            .Send(0, TdpRecordingBuilder.Size(16, 16), TdpRecordingBuilder.Png(0, 0, 16, 16, Blue))
            .Send(2.0, TdpRecordingBuilder.Png(0, 0, 16, 16, Green))
            .Unfinished());
        var video = Path.Combine(_dir, "cut.mp4");
        var result = await NewExporter().ExportAsync(recording, video, RecordingExportFormat.Mp4, null, CancellationToken.None);
        Assert.Equal((50L, 2_000_000L), (result.Frames, result.DurationMicroseconds));
        Assert.Contains("without its End record", result.Problem, StringComparison.Ordinal);
        await AssertVideoAsync(video, "h264", 2.0, [(0.5, 8, 8, Blue), (1.9, 8, 8, Blue)]);
    }

    /// <summary>ffprobe: codec and duration within one frame; ffmpeg: each sample's colour within a tolerance.</summary>
    private static async Task AssertVideoAsync(string video, string codec, double duration, (double T, int X, int Y, uint Color)[]? samples = null)
    {
        var probe = await ProcessRunner.RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height:format=duration", "-of", "json", video);
        Assert.True(probe.ExitCode == 0, probe.StandardError);
        var json = JsonDocument.Parse(probe.StandardOutputText).RootElement;
        var stream = json.GetProperty("streams")[0];
        Assert.Equal(codec, stream.GetProperty("codec_name").GetString());
        var width = stream.GetProperty("width").GetInt32();
        var height = stream.GetProperty("height").GetInt32();
        var measured = double.Parse(json.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(measured - duration) <= 1.0 / FrameRate, $"video lasts {measured} s, the recording {duration} s");

        foreach (var (t, x, y, color) in samples ?? Samples)
        {
            var frame = await ProcessRunner.RunAsync("ffmpeg", "-v", "error", "-ss", t.ToString(CultureInfo.InvariantCulture), "-i", video,
                "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
            Assert.True(frame.ExitCode == 0, frame.StandardError);
            Assert.Equal(width * height * 3, frame.StandardOutput.Length);
            // The mean of a 6x6 block around the sample point.
            int r = 0, g = 0, b = 0;
            for (var dy = -3; dy < 3; dy++)
            {
                for (var dx = -3; dx < 3; dx++)
                {
                    var i = (((y + dy) * width) + x + dx) * 3;
                    r += frame.StandardOutput[i];
                    g += frame.StandardOutput[i + 1];
                    b += frame.StandardOutput[i + 2];
                }
            }
            int[] actual = [r / 36, g / 36, b / 36];
            int[] expected = [(int)(color >> 16) & 0xFF, (int)(color >> 8) & 0xFF, (int)color & 0xFF];
            for (var c = 0; c < 3; c++)
            {
                Assert.True(Math.Abs(actual[c] - expected[c]) <= 40,
                    $"{Path.GetFileName(video)} at {t} s, ({x},{y}): rgb({actual[0]},{actual[1]},{actual[2]}), expected rgb({expected[0]},{expected[1]},{expected[2]})");
            }
        }
    }

    private static async Task<JsonElement> WaitForJobAsync(ApiClient client, string jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var state = await client.GetJsonAsync($"/api/recordings/exports/{jobId}");
            var s = state.GetProperty("state").GetString();
            if (s is "done" or "failed")
            {
                return state;
            }
            Assert.True(DateTime.UtcNow < deadline, $"export job still {s} after 120 s");
            await Task.Delay(100);
        }
    }

    private static async Task<(int Code, string Out, string Err)> RunCliAsync(string data, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new OrielCli(output, error, new StringReader("")) { ConfigureOptions = TestGateway.Configure };
        var code = await cli.InvokeAsync([.. args, "--data", data]);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (Progress&lt;T&gt; posts elsewhere).</summary>
    private sealed class SyncProgress(Action<RecordingExportProgress> report) : IProgress<RecordingExportProgress>
    {
        public void Report(RecordingExportProgress value) => report(value);
    }
}
