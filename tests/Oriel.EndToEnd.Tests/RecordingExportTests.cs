using System.Globalization;
using Oriel.EndToEnd.Tests.Harness;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Recordings.Export;
using Oriel.Gateway.Storage;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>
/// A real desktop session through the real gateway to Xvnc is recorded, then exported to MP4 by the gateway's
/// export jobs with Debian's ffmpeg: the video lasts as long as the recording (ffprobe) and frames extracted
/// with ffmpeg show what the desktop showed at those times (a red root window, then a green one).
/// </summary>
public sealed class RecordingExportTests
{
    [Fact]
    public async Task A_recorded_session_exports_to_a_video_that_shows_the_desktop()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 160, Height = 120, Security = [XvncSecurity.None] });
        await xvnc.RunXCommandAsync("xsetroot", "-solid", "#ff0000");
        await using var gateway = await GatewayUnderTest.StartAsync(configure: o => o.RecordingExport.X264Preset = "ultrafast");
        await gateway.CreateUserAsync("erin", "erin-password-12");
        await gateway.AddVncTargetAsync("desk", xvnc.Port, ["none"]);
        var cookie = await gateway.SignInCookieAsync("erin", "erin-password-12");

        await using (var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, "desk", cookie))
        {
            await client.StartAsync(width: 160, height: 120);
            await client.WaitForFramesAsync(1);
            await Task.Delay(1500);
            await xvnc.RunXCommandAsync("xsetroot", "-solid", "#00ff00");
            await client.WaitForAsync<PngFrame2Message>(p => new Oriel.Graphics.PngDecoder().Decode(p.Data).Pixels.Contains(0x00FF00u));
            await Task.Delay(1500);
        }

        // The session ends when the socket closes; its catalog row then leaves the Recording state.
        var store = gateway.Get<IOrielStore>();
        RecordingRecord? row = null;
        for (var i = 0; i < 200 && row?.Status is null or RecordingStatus.Recording; i++)
        {
            row = (await store.ListRecordingsAsync(new RecordingQuery(), CancellationToken.None)).SingleOrDefault();
            await Task.Delay(50);
        }
        Assert.NotNull(row);
        Assert.Equal((RecordingStatus.Complete, StreamRecordingHeader.TdpKind), (row.Status, row.Kind));
        var path = gateway.Get<RecordingPaths>().StreamRecording(row.Id);
        var read = StreamRecordingReader.ReadAll(await File.ReadAllBytesAsync(path));
        var durationUs = read.End!.DurationMicroseconds;
        var firstImageUs = read.Records.First(r => r.Kind == StreamRecordKind.ServerData && r.Payload.Span[0] == (byte)TdpMessageType.PngFrame2).TimeMicroseconds;

        var jobs = gateway.Get<RecordingExportJobs>();
        var job = jobs.Enqueue(row.Id, ct => gateway.Get<RecordingExportFiles>().GetTdpFileAsync(row, ct), RecordingExportFormat.Mp4, row.UserId, row.UserName)!;
        for (var i = 0; i < 1200 && job.Snapshot.State is RecordingExportJobState.Queued or RecordingExportJobState.Running; i++)
        {
            await Task.Delay(50);
        }
        Assert.True(job.Snapshot.State == RecordingExportJobState.Done, job.Snapshot.Error);

        var probe = await ProcessRunner.RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", job.OutputPath);
        Assert.True(probe.ExitCode == 0, probe.StandardError);
        var seconds = double.Parse(probe.StandardOutputText.Trim(), CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(seconds - (durationUs / 1e6)) <= 1.0 / 25, $"video lasts {seconds} s, the recording {durationUs / 1e6} s");

        // Red just after the first picture arrived (the change came at least 1.5 s later); green at the end.
        await AssertColourAsync(job.OutputPath, (firstImageUs / 1e6) + 0.5, 0xFF0000);
        await AssertColourAsync(job.OutputPath, (durationUs / 1e6) - 0.3, 0x00FF00);
    }

    private static async Task AssertColourAsync(string video, double seconds, uint expected)
    {
        var frame = await ProcessRunner.RunAsync("ffmpeg", "-v", "error", "-ss", seconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", video,
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        Assert.True(frame.ExitCode == 0, frame.StandardError);
        Assert.Equal(160 * 120 * 3, frame.StandardOutput.Length);
        var i = ((60 * 160) + 80) * 3; // the middle of the root window
        int[] actual = [frame.StandardOutput[i], frame.StandardOutput[i + 1], frame.StandardOutput[i + 2]];
        int[] want = [(int)(expected >> 16), (int)(expected >> 8) & 0xFF, (int)expected & 0xFF];
        Assert.True(actual.Zip(want).All(p => Math.Abs(p.First - p.Second) <= 40),
            $"at {seconds:0.###} s: rgb({actual[0]},{actual[1]},{actual[2]}), expected rgb({want[0]},{want[1]},{want[2]})");
    }
}
