using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// The export endpoints of CONTRACTS.md section 3:
/// <c>POST /api/recordings/{id}/exports</c> <c>{ "format": "mp4" | "webm" }</c> → 202 <c>{ jobId }</c> (audited
/// <c>recording.export</c>); <c>GET /api/recordings/exports/{jobId}</c> → the job's state and progress;
/// <c>GET /api/recordings/exports/{jobId}/file</c> → the video as an attachment (audited <c>recording.download</c>);
/// <c>DELETE /api/recordings/exports/{jobId}</c> cancels a job and deletes its video. Access is the role's
/// recordings access (<see cref="IAccessService.GetRecordingsAccessAsync"/>): <see cref="RecordingsAccess.None"/> is
/// 403, a recording outside the caller's access is 404, as is a job of another user; a download checks the access
/// again, so a revoked role stops it.
/// </summary>
public static class RecordingExportEndpoints
{
    private const string NoAccess = "your roles give no access to recordings";

    public static IServiceCollection AddOrielRecordingExport(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<GatewayOptions>().RecordingExport);
        services.TryAddSingleton<RecordingExporter>();
        services.TryAddSingleton<RecordingExportFiles>();
        services.TryAddSingleton<RecordingExportJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingExportJobs>());
        return services;
    }

    public static IEndpointRouteBuilder MapOrielRecordingExport(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/recordings/{id}/exports", CreateAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        app.MapGet("/api/recordings/exports/{jobId}", GetAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        app.MapGet("/api/recordings/exports/{jobId}/file", DownloadAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        app.MapDelete("/api/recordings/exports/{jobId}", CancelAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        return app;
    }

    private static async Task<IResult> CreateAsync(string id, RecordingExportRequest? body, HttpContext http, IAccessService access, IOrielStore store,
        RecordingExportFiles files, RecordingExportJobs jobs, IAuditLog audit)
    {
        var ct = http.RequestAborted;
        var (recording, refusal) = await VisibleRecordingAsync(http, access, store, id, ct).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }
        if (recording!.Kind == AsciicastRecorder.Kind)
        {
            return Error(StatusCodes.Status409Conflict, AsciicastRecorder.NotDesktopSentence);
        }
        if (!RecordingExportFormats.TryParse(body?.Format, out var format))
        {
            return Error(StatusCodes.Status400BadRequest, "format must be \"mp4\" or \"webm\"");
        }
        var userId = http.User.GetUserId()!;
        var userName = http.User.Identity?.Name ?? userId;
        var job = jobs.Enqueue(recording.Id, c => files.GetTdpFileAsync(recording, c), format.Value, userId, userName);
        if (job is null)
        {
            return Error(StatusCodes.Status429TooManyRequests, "too many exports are waiting; try again when one has finished");
        }
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = RecordingExportAuditKinds.Export,
                Actor = userName,
                Target = recording.TargetId,
                SessionId = recording.Id,
                ClientIp = http.Connection.RemoteIpAddress?.ToString(),
                Details = new JsonObject { ["recording"] = recording.Id, ["format"] = RecordingExportFormats.Name(format.Value), ["jobId"] = job.JobId },
            },
            ct).ConfigureAwait(false);
        return Results.Json(new { jobId = job.JobId }, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> GetAsync(string jobId, HttpContext http, IAccessService access, RecordingExportJobs jobs)
    {
        if (await access.GetRecordingsAccessAsync(http.User, http.RequestAborted).ConfigureAwait(false) == RecordingsAccess.None)
        {
            return Error(StatusCodes.Status403Forbidden, NoAccess);
        }
        if (OwnJob(jobs, jobId, http) is not { } job)
        {
            return Error(StatusCodes.Status404NotFound, "no such export");
        }
        var (state, progress, error, _) = job.Snapshot;
        return Results.Json(new
        {
            jobId = job.JobId,
            recordingId = job.RecordingId,
            format = RecordingExportFormats.Name(job.Format),
            state = state.ToString().ToLowerInvariant(),
            progress,
            error,
        });
    }

    private static async Task<IResult> DownloadAsync(string jobId, HttpContext http, IAccessService access, IOrielStore store, RecordingExportJobs jobs, IAuditLog audit)
    {
        var ct = http.RequestAborted;
        if (await access.GetRecordingsAccessAsync(http.User, ct).ConfigureAwait(false) == RecordingsAccess.None)
        {
            return Error(StatusCodes.Status403Forbidden, NoAccess);
        }
        if (OwnJob(jobs, jobId, http) is not { } job)
        {
            return Error(StatusCodes.Status404NotFound, "no such export");
        }
        var (recording, refusal) = await VisibleRecordingAsync(http, access, store, job.RecordingId, ct).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }
        if (job.Snapshot.State != RecordingExportJobState.Done)
        {
            return Error(StatusCodes.Status409Conflict, "the export is not done");
        }
        FileStream file;
        try
        {
            file = new FileStream(job.OutputPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return Error(StatusCodes.Status404NotFound, "the export has expired");
        }
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = RecordingExportAuditKinds.Download,
                Actor = http.User.Identity?.Name ?? job.OwnerName,
                Target = recording!.TargetId,
                SessionId = recording.Id,
                ClientIp = http.Connection.RemoteIpAddress?.ToString(),
                Details = new JsonObject { ["recording"] = recording.Id, ["format"] = RecordingExportFormats.Name(job.Format), ["jobId"] = job.JobId, ["bytes"] = file.Length },
            },
            ct).ConfigureAwait(false);
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(file, RecordingExportFormats.ContentType(job.Format), job.RecordingId + RecordingExportFormats.Extension(job.Format),
            enableRangeProcessing: true);
    }

    private static async Task<IResult> CancelAsync(string jobId, HttpContext http, IAccessService access, RecordingExportJobs jobs)
    {
        if (await access.GetRecordingsAccessAsync(http.User, http.RequestAborted).ConfigureAwait(false) == RecordingsAccess.None)
        {
            return Error(StatusCodes.Status403Forbidden, NoAccess);
        }
        if (OwnJob(jobs, jobId, http) is null || !await jobs.CancelAsync(jobId).ConfigureAwait(false))
        {
            return Error(StatusCodes.Status404NotFound, "no such export");
        }
        return Results.NoContent();
    }

    /// <summary>The catalog row when the caller may see it; otherwise the answer to give (403 no access at all, 404 not theirs or none).</summary>
    private static async Task<(RecordingRecord? Recording, IResult? Refusal)> VisibleRecordingAsync(HttpContext http, IAccessService access, IOrielStore store,
        string id, CancellationToken ct)
    {
        var level = await access.GetRecordingsAccessAsync(http.User, ct).ConfigureAwait(false);
        if (level == RecordingsAccess.None)
        {
            return (null, Error(StatusCodes.Status403Forbidden, NoAccess));
        }
        var recording = await store.GetRecordingAsync(id, ct).ConfigureAwait(false);
        if (recording is null || (level == RecordingsAccess.Own && recording.UserId != http.User.GetUserId()))
        {
            return (null, Error(StatusCodes.Status404NotFound, "no such recording"));
        }
        return (recording, null);
    }

    /// <summary>The job when it exists and belongs to the caller.</summary>
    private static RecordingExportJob? OwnJob(RecordingExportJobs jobs, string jobId, HttpContext http) =>
        jobs.Find(jobId) is { } job && job.OwnerUserId == http.User.GetUserId() ? job : null;

    private static IResult Error(int status, string error) => Results.Json(new { error }, statusCode: status);
}
