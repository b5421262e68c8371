using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;
using Oriel.Recording;
using Oriel.Wire;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The recordings read API (CONTRACTS section 3):
/// <list type="bullet">
/// <item><c>GET /api/recordings?user=&amp;target=&amp;protocol=&amp;from=&amp;to=&amp;limit=&amp;before=</c>: newest first,
/// <c>{ items, next }</c> (<c>next</c> is the <c>before</c> of the following page, or null).</item>
/// <item><c>GET /api/recordings/{id}</c>: the item and its timeline (duration, sync points, histogram of ServerData bytes;
/// null for a terminal recording, which its player reads whole), audited <see cref="RecordingAuditKinds.View"/> once per
/// call (the player calls it once per opening).</item>
/// <item><c>GET /api/recordings/{id}/tdp</c>: the playable TDP recording, HTTP Range supported (the player reads bounded
/// ranges); not audited per request.</item>
/// <item><c>GET /api/recordings/{id}/file</c>: the recording's own file as it was written, HTTP Range supported: a
/// terminal session's asciicast v2 (<c>.cast</c>, <c>application/x-asciicast</c>, what the terminal player reads), a
/// desktop session's <c>.orec</c> (<c>application/octet-stream</c>); not audited per request.</item>
/// </list>
/// Access (<see cref="IAccessService.GetRecordingsAccessAsync"/>): <c>All</c> sees every recording, <c>Own</c> those of
/// its own sessions, <c>None</c> gets 403; a recording outside the user's access is 404, like one that does not exist.
/// </summary>
public static class RecordingEndpoints
{
    /// <summary>Buckets of the activity histogram the player draws under its timeline.</summary>
    public const int HistogramBuckets = 200;

    /// <summary>The media type of an asciicast file (what asciinema's own server gives <c>.cast</c> files).</summary>
    public const string AsciicastContentType = "application/x-asciicast";

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapOrielRecordings(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/recordings", ListAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        app.MapGet("/api/recordings/{id}", DetailsAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        app.MapGet("/api/recordings/{id}/tdp", TdpFileAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        app.MapGet("/api/recordings/{id}/file", OwnFileAsync).RequireAuthorization(GatewayHost.ReadyPolicy);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IAccessService access, IOrielStore store)
    {
        var ct = http.RequestAborted;
        var scope = await access.GetRecordingsAccessAsync(http.User, ct).ConfigureAwait(false);
        if (scope == RecordingsAccess.None)
        {
            return Forbidden();
        }
        var q = http.Request.Query;
        if (!TryInstant(q["from"], out var from) || !TryInstant(q["to"], out var to) || !TryInstant(q["before"], out var before))
        {
            return BadRequest("from, to and before are ISO 8601 instants");
        }
        var limit = DefaultPageSize;
        if (!string.IsNullOrEmpty(q["limit"]) && (!int.TryParse(q["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return BadRequest("limit is a positive number");
        }
        limit = Math.Min(limit, MaxPageSize);
        var userId = await ResolveUserAsync(store, q["user"], ct).ConfigureAwait(false);
        if (scope == RecordingsAccess.Own)
        {
            var own = http.User.GetUserId();
            if (userId is not null && !string.Equals(userId, own, StringComparison.Ordinal))
            {
                return Results.Json(new { items = Array.Empty<object>(), next = (string?)null });
            }
            userId = own;
        }
        var query = new RecordingQuery(userId, NullIfEmpty(q["target"]), NullIfEmpty(q["protocol"])?.ToLowerInvariant(), from, to, limit + 1, before);
        var rows = await store.ListRecordingsAsync(query, ct).ConfigureAwait(false);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? page[^1].Started.ToString("O", CultureInfo.InvariantCulture) : null;
        return Results.Json(new { items = page.Select(Item), next });
    }

    private static async Task<IResult> DetailsAsync(string id, HttpContext http, IAccessService access, IOrielStore store, IAuditLog audit, ILoggerFactory logs)
    {
        var ct = http.RequestAborted;
        var (record, refusal) = await FindAsync(id, http, access, store).ConfigureAwait(false);
        if (record is null)
        {
            return refusal!;
        }
        var log = logs.CreateLogger(typeof(RecordingEndpoints).FullName!);
        await audit.WriteAsync(new AuditEvent
        {
            Kind = RecordingAuditKinds.View,
            Actor = http.User.Identity?.Name,
            Target = record.TargetId,
            SessionId = record.Id,
            ClientIp = http.Connection.RemoteIpAddress?.ToString(),
            Details = new JsonObject { ["recordingId"] = record.Id, ["user"] = record.UserName, ["kind"] = record.Kind },
        }, ct).ConfigureAwait(false);
        RecordingEndpointsLog.Viewed(log, record.Id, http.User.Identity?.Name ?? "");

        var item = Item(record);
        if (record.Kind == AsciicastRecorder.Kind)
        {
            // A terminal recording: its player reads the whole .cast (GET .../file); there is no timeline to give.
            if (!File.Exists(http.RequestServices.GetRequiredService<RecordingPaths>().Asciicast(record.Id)))
            {
                return Unplayable(record, new FileNotFoundException(), log, details: null);
            }
            return Results.Json(Details(item, timeline: null));
        }
        string path;
        try
        {
            path = await Playable(http).GetTdpFileAsync(record.Id, record.Kind, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Unplayable(record, e, log, details: item);
        }
        RecordingTimeline timeline;
        try
        {
            timeline = await RecordingFileTimeline.ReadAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DecodeException or IOException)
        {
            RecordingEndpointsLog.TimelineUnreadable(log, record.Id, e.Message);
            return Results.Json(new { error = $"The recording cannot be read: {e.Message}" }, statusCode: StatusCodes.Status409Conflict);
        }
        var histogram = timeline.Histogram(HistogramBuckets);
        return Results.Json(Details(item, new
        {
            durationUs = timeline.DurationUs,
            syncPoints = timeline.SyncPoints.Select(p => new { offset = p.FileOffset, timeUs = p.TimeMicroseconds }),
            histogram = new { bucketUs = histogram.BucketUs, bytes = histogram.Bytes },
        }));
    }

    /// <summary>The details answer: the item's fields and the timeline (null for a terminal recording).</summary>
    private static object Details(RecordingItem item, object? timeline) => new
    {
        id = item.Id,
        userId = item.UserId,
        user = item.User,
        targetId = item.TargetId,
        target = item.Target,
        protocol = item.Protocol,
        kind = item.Kind,
        started = item.Started,
        ended = item.Ended,
        durationMs = item.DurationMs,
        sizeBytes = item.SizeBytes,
        status = item.Status,
        problem = item.Problem,
        timeline,
    };

    /// <summary>
    /// The recording's own file (<see cref="RecordingPaths.FileFor"/>), typed by its kind, with HTTP Range; readable while
    /// it is still being written.
    /// </summary>
    private static async Task<IResult> OwnFileAsync(string id, HttpContext http, IAccessService access, IOrielStore store, RecordingPaths paths, ILoggerFactory logs)
    {
        var (record, refusal) = await FindAsync(id, http, access, store).ConfigureAwait(false);
        if (record is null)
        {
            return refusal!;
        }
        var contentType = record.Kind == AsciicastRecorder.Kind ? AsciicastContentType : "application/octet-stream";
        return Serve(paths.FileFor(record.Id, record.Kind), contentType, record, http, logs.CreateLogger(typeof(RecordingEndpoints).FullName!));
    }

    private static async Task<IResult> TdpFileAsync(string id, HttpContext http, IAccessService access, IOrielStore store, ILoggerFactory logs)
    {
        var (record, refusal) = await FindAsync(id, http, access, store).ConfigureAwait(false);
        if (record is null)
        {
            return refusal!;
        }
        var log = logs.CreateLogger(typeof(RecordingEndpoints).FullName!);
        string path;
        try
        {
            path = await Playable(http).GetTdpFileAsync(record.Id, record.Kind, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Unplayable(record, e, log, details: null);
        }
        return Serve(path, "application/octet-stream", record, http, log);
    }

    /// <summary>Streams <paramref name="path"/> with HTTP Range, shared so a recording still being written stays readable.</summary>
    private static IResult Serve(string path, string contentType, RecordingRecord record, HttpContext http, ILogger log)
    {
        FileStream file;
        try
        {
            // Shared: a recording still being written (or a transcode being replaced) stays readable.
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            });
        }
        catch (FileNotFoundException)
        {
            RecordingEndpointsLog.FileGone(log, record.Id);
            return NotFound();
        }
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.Stream(file, contentType, fileDownloadName: null, enableRangeProcessing: true);
    }

    /// <summary>The recording if the user may see it; otherwise the answer: 403 without recordings access, 404 outside it.</summary>
    private static async Task<(RecordingRecord? Record, IResult? Refusal)> FindAsync(string id, HttpContext http, IAccessService access, IOrielStore store)
    {
        var ct = http.RequestAborted;
        var scope = await access.GetRecordingsAccessAsync(http.User, ct).ConfigureAwait(false);
        if (scope == RecordingsAccess.None)
        {
            return (null, Forbidden());
        }
        if (string.IsNullOrEmpty(id) || id.Length > 128 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return (null, NotFound());
        }
        var record = await store.GetRecordingAsync(id, ct).ConfigureAwait(false);
        if (record is null || (scope == RecordingsAccess.Own && !string.Equals(record.UserId, http.User.GetUserId(), StringComparison.Ordinal)))
        {
            return (null, NotFound());
        }
        return (record, null);
    }

    private static IPlayableRecordings Playable(HttpContext http) =>
        http.RequestServices.GetService<IPlayableRecordings>() ?? new TdpRecordingFiles(http.RequestServices.GetRequiredService<RecordingPaths>());

    private static IResult Unplayable(RecordingRecord record, Exception e, ILogger log, RecordingItem? details)
    {
        if (e is FileNotFoundException)
        {
            RecordingEndpointsLog.FileGone(log, record.Id);
            return Results.Json(new { error = "The recording's file is gone." }, statusCode: StatusCodes.Status404NotFound);
        }
        RecordingEndpointsLog.Unplayable(log, record.Id, e.Message);
        return Results.Json(new { error = e.Message, recording = details }, statusCode: StatusCodes.Status409Conflict);
    }

    /// <summary>A list item as the API gives it (JSON camelCase; status in lower case).</summary>
    internal static RecordingItem Item(RecordingRecord r) => new(
        r.Id, r.UserId, r.UserName, r.TargetId, r.TargetName, r.Protocol, r.Kind, r.Started, r.Ended, r.DurationMs, r.SizeBytes,
        r.Status switch
        {
            RecordingStatus.Recording => "recording",
            RecordingStatus.Complete => "complete",
            _ => "incomplete",
        },
        r.Problem);

    /// <summary>The <c>user</c> filter: a user name (as the list shows) or a user id.</summary>
    private static async Task<string?> ResolveUserAsync(IOrielStore store, string? value, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var byName = await store.FindUserByNameAsync(value.Trim(), ct).ConfigureAwait(false);
        return byName?.Id ?? value.Trim();
    }

    private static bool TryInstant(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static IResult Forbidden() => Results.Json(new { error = "You may not see recordings." }, statusCode: StatusCodes.Status403Forbidden);

    private static IResult NotFound() => Results.Json(new { error = "No such recording." }, statusCode: StatusCodes.Status404NotFound);

    private static IResult BadRequest(string error) => Results.Json(new { error }, statusCode: StatusCodes.Status400BadRequest);
}
