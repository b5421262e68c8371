using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Recordings.Export;
using Oriel.Gateway.Storage;
using Oriel.Wire;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    private Command BuildRecordings()
    {
        var recordings = new Command("recordings", "Work with session recordings");
        recordings.Add(BuildRecordingsExport());
        return recordings;
    }

    private Command BuildRecordingsExport()
    {
        var id = new Argument<string>("id") { Description = "The recording's id (its session id)" };
        var format = new Option<string>("--format") { Description = "mp4 (H.264) or webm (VP9)", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "The video file to write (default: ID.mp4 or ID.webm here)" };
        var export = new Command("export", "Render a recording to a video file with ffmpeg; progress goes to stderr") { id, format, output };
        export.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            if (!RecordingExportFormats.TryParse(r.GetValue(format), out var f))
            {
                throw new ArgumentException($"--format '{r.GetValue(format)}' is neither mp4 nor webm");
            }
            var recordingId = r.GetValue(id)!;
            var options = sp.GetRequiredService<GatewayOptions>();
            var paths = new RecordingPaths(options);
            var recording = await sp.GetRequiredService<IOrielStore>().GetRecordingAsync(recordingId, ct).ConfigureAwait(false);
            string path;
            try
            {
                // A catalogued recording by its kind; a file without a row (made before the catalog) as it is.
                using var playable = new PlayableRecordings(paths, sp.GetRequiredService<JpegSupport>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger<PlayableRecordings>());
                path = recording is not null
                    ? await new RecordingExportFiles(playable).GetTdpFileAsync(recording, ct).ConfigureAwait(false)
                    : paths.StreamRecording(recordingId);
            }
            catch (RecordingExportException e)
            {
                await _err.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
                return 1;
            }
            if (!File.Exists(path))
            {
                throw new KeyNotFoundException($"no recording '{recordingId}' in {paths.Directory}");
            }
            var target = r.GetValue(output) ?? recordingId + RecordingExportFormats.Extension(f.Value);
            var exporter = new RecordingExporter(sp.GetRequiredService<JpegSupport>(), options.RecordingExport,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<RecordingExporter>());
            await sp.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditEvent
                {
                    Kind = RecordingExportAuditKinds.Export,
                    Actor = CliActor,
                    Target = recording?.TargetId,
                    SessionId = recordingId,
                    Details = new JsonObject { ["recording"] = recordingId, ["format"] = RecordingExportFormats.Name(f.Value), ["output"] = Path.GetFullPath(target) },
                },
                ct).ConfigureAwait(false);
            var progress = new CliExportProgress(_err, recordingId, interactive: ReferenceEquals(_err, Console.Error) && !Console.IsErrorRedirected);
            try
            {
                var result = await exporter.ExportAsync(path, target, f.Value, progress, ct).ConfigureAwait(false);
                progress.Finish();
                if (result.Problem is not null)
                {
                    await _err.WriteLineAsync($"warning: the recording was read up to {result.DurationMicroseconds / 1e6:0.###} s: {result.Problem}").ConfigureAwait(false);
                }
                await _out.WriteLineAsync(
                    $"wrote {target}: {RecordingExportFormats.Name(f.Value)}, {result.Width}x{result.Height}, {result.Frames} frames at {result.FrameRate} fps ({result.DurationMicroseconds / 1e6:0.###} s), {result.OutputBytes} bytes")
                    .ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is RecordingExportException or DecodeException)
            {
                progress.Finish();
                await _err.WriteLineAsync("error: " + (e is DecodeException ? "the recording is damaged: " : "") + e.Message).ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException)
            {
                progress.Finish();
                await _err.WriteLineAsync("export cancelled; nothing was written").ConfigureAwait(false);
                return 130;
            }
        }));
        return export;
    }
}
