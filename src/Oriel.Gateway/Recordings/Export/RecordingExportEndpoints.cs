using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
/// <c>DELETE /api/recordings/exports/{jobId}</c> cancels a job and deletes its video. A recording outside the
/// caller's access and a job of another user are 404. Until the recordings catalog (with its per-role
/// recordings access) is merged, exports are for administrators only.
/// </summary>
public static class RecordingExportEndpoints
{
    public static IServiceCollection AddOrielRecordingExport(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<GatewayOptions>().RecordingExport);
        services.TryAddSingleton<RecordingExporter>();
        services.TryAddSingleton<RecordingExportJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingExportJobs>());
        return services;
    }

    public static IEndpointRouteBuilder MapOrielRecordingExport(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/recordings/{id}/exports", CreateAsync).RequireAuthorization(GatewayHost.AdminPolicy);
        app.MapGet("/api/recordings/exports/{jobId}", Get).RequireAuthorization(GatewayHost.AdminPolicy);
        app.MapGet("/api/recordings/exports/{jobId}/file", DownloadAsync).RequireAuthorization(GatewayHost.AdminPolicy);
        app.MapDelete("/api/recordings/exports/{jobId}", CancelAsync).RequireAuthorization(GatewayHost.AdminPolicy);
        return app;
    }

    private static async Task<IResult> CreateAsync(string id, RecordingExportRequest? body, HttpContext http, RecordingPaths paths,
        RecordingExportJobs jobs, IAuditLog audit)
    {
        if (!RecordingExportFormats.TryParse(body?.Format, out var format))
        {
            return Error(StatusCodes.Status400BadRequest, "format must be \"mp4\" or \"webm\"");
        }
        var path = FindRecording(paths, id);
        if (path is null)
        {
            return Error(StatusCodes.Status404NotFound, "no such recording");
        }
        var userId = http.User.GetUserId()!;
        var userName = http.User.Identity?.Name ?? userId;
        var job = jobs.Enqueue(id, path, format.Value, userId, userName);
        if (job is null)
        {
            return Error(StatusCodes.Status429TooManyRequests, "too many exports are waiting; try again when one has finished");
        }
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = RecordingExportAuditKinds.Export,
                Actor = userName,
                Target = id,
                SessionId = id,
                ClientIp = http.Connection.RemoteIpAddress?.ToString(),
                Details = new JsonObject { ["format"] = RecordingExportFormats.Name(format.Value), ["jobId"] = job.JobId },
            },
            http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new { jobId = job.JobId }, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Get(string jobId, HttpContext http, RecordingExportJobs jobs)
    {
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

    private static async Task<IResult> DownloadAsync(string jobId, HttpContext http, RecordingExportJobs jobs, IAuditLog audit)
    {
        if (OwnJob(jobs, jobId, http) is not { } job)
        {
            return Error(StatusCodes.Status404NotFound, "no such export");
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
                Actor = job.OwnerName,
                Target = job.RecordingId,
                SessionId = job.RecordingId,
                ClientIp = http.Connection.RemoteIpAddress?.ToString(),
                Details = new JsonObject { ["format"] = RecordingExportFormats.Name(job.Format), ["jobId"] = job.JobId, ["bytes"] = file.Length },
            },
            http.RequestAborted).ConfigureAwait(false);
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(file, RecordingExportFormats.ContentType(job.Format), job.RecordingId + RecordingExportFormats.Extension(job.Format),
            enableRangeProcessing: true);
    }

    private static async Task<IResult> CancelAsync(string jobId, HttpContext http, RecordingExportJobs jobs)
    {
        if (OwnJob(jobs, jobId, http) is null || !await jobs.CancelAsync(jobId).ConfigureAwait(false))
        {
            return Error(StatusCodes.Status404NotFound, "no such export");
        }
        return Results.NoContent();
    }

    /// <summary>The job when it exists and belongs to the caller.</summary>
    private static RecordingExportJob? OwnJob(RecordingExportJobs jobs, string jobId, HttpContext http) =>
        jobs.Find(jobId) is { } job && job.OwnerUserId == http.User.GetUserId() ? job : null;

    /// <summary>The TDP recording file of a recording id, or null when there is none.</summary>
    internal static string? FindRecording(RecordingPaths paths, string id)
    {
        string path;
        try
        {
            path = paths.StreamRecording(id);
        }
        catch (ArgumentException)
        {
            return null;
        }
        return File.Exists(path) ? path : null;
    }

    private static IResult Error(int status, string error) => Results.Json(new { error }, statusCode: status);
}
