using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Ssh;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Api;

/// <summary>
/// The SFTP file panel beside an SSH terminal, under <c>/api/sessions/live/{sessionId}/files</c> (docs/ssh-files.md):
/// <list type="bullet">
/// <item><c>GET ?path=</c> lists a directory (the login's home when no path is given), with the role's
/// <c>mayDownload</c> / <c>mayUpload</c>;</item>
/// <item><c>GET download?path=</c> streams a file from the SFTP stream to the response (Content-Length from its size,
/// attachment), never holding it whole;</item>
/// <item><c>PUT upload?path=&amp;offset=&amp;final=</c> writes one chunk (raw bytes, at most <see cref="MaxChunkBytes"/>) at
/// <c>offset</c>, which must be where the previous chunk ended (0 starts the file, creating or truncating it);
/// <c>final=1</c> completes the upload;</item>
/// <item><c>POST mkdir</c> <c>{path}</c>, <c>POST rename</c> <c>{from, to}</c>, <c>POST delete</c> <c>{path}</c>.</item>
/// </list>
/// The session must be the caller's own live SSH session, found in the <see cref="ISshFileAccessRegistry"/>: any other
/// id is answered 404 alike. Downloading needs the role's file download permission; uploading, mkdir, rename and delete
/// need file upload; listing needs either (403 with a sentence otherwise). Paths are checked by
/// <see cref="SshFilePaths"/> (400 with a sentence). State-changing calls pass <see cref="CsrfProtection"/> like every
/// other (the upload's raw body is allowed by <see cref="OctetStreamBodyAllowed"/>). Every operation that reaches a
/// session, refused or not, is audited <see cref="SshAuditKinds.FileOperation"/> with op, path, size, ok and error;
/// an upload once, when it completes or fails.
/// </summary>
public static class SshFileEndpoints
{
    public const string Prefix = "/api/sessions/live/{sessionId}/files";

    /// <summary>Largest upload chunk (one PUT body). The web panel sends 4 MiB.</summary>
    public const int MaxChunkBytes = 8 * 1024 * 1024;

    /// <summary>Most entries one listing returns (the rest are counted, not sent).</summary>
    public const int MaxListedEntries = 10_000;

    /// <summary>Largest JSON body (mkdir, rename, delete): two capped paths and their quoting fit easily.</summary>
    private const int MaxJsonBodyBytes = 64 * 1024;

    private const int CopyBufferBytes = 64 * 1024;

    public static IServiceCollection AddOrielSshFiles(this IServiceCollection services)
    {
        services.AddSingleton<SshFilePanel>();
        return services;
    }

    public static IEndpointRouteBuilder MapOrielSshFiles(this IEndpointRouteBuilder app)
    {
        // Scoped (link-opened) sign-ins may use the panel of their own session: the session can only be on the link's
        // target, and the scope is checked again below.
        var files = app.MapGroup(Prefix).RequireAuthorization(GatewayHost.ReadyPolicy).AllowScopedSessions();
        files.MapGet("", ListAsync);
        files.MapGet("download", DownloadAsync);
        files.MapPut("upload", UploadAsync).WithMetadata(OctetStreamBodyAllowed.Instance);
        files.MapPost("mkdir", MkdirAsync);
        files.MapPost("rename", RenameAsync);
        files.MapPost("delete", DeleteAsync);
        return app;
    }

    /// <summary>What every operation needs: the request, the session's panel, who asks.</summary>
    private sealed record Call(HttpContext Http, SshFilePanelSession Panel, string Op, string Actor, ILogger Log)
    {
        public SshFileAccess Access => Panel.Access;

        public CancellationToken Ct => Http.RequestAborted;
    }

    private static Call? Find(HttpContext http, string sessionId, string op)
    {
        var services = http.RequestServices;
        var access = services.GetRequiredService<ISshFileAccessRegistry>().Find(sessionId);
        if (access is null || !string.Equals(access.UserId, http.User.GetUserId(), StringComparison.Ordinal)
            || !SessionScope.Permits(http.User, access.TargetId))
        {
            return null;
        }

        var actor = http.User.Identity?.Name ?? access.UserId;
        var panel = services.GetRequiredService<SshFilePanel>().Get(access, actor);
        return panel is null ? null : new Call(http, panel, op, actor, services.GetRequiredService<ILoggerFactory>().CreateLogger("Oriel.Ssh.Files"));
    }

    private static IResult NoSuchSession() =>
        Results.Json(new { error = "No such live SSH session of yours." }, statusCode: StatusCodes.Status404NotFound);

    // ---- list ---------------------------------------------------------------------------------------------------

    private static async Task<IResult> ListAsync(HttpContext http, string sessionId, string? path)
    {
        if (Find(http, sessionId, "list") is not { } call)
        {
            return NoSuchSession();
        }

        if (!call.Access.MayDownload && !call.Access.MayUpload)
        {
            return await RefuseAsync(call, path, StatusCodes.Status403Forbidden,
                "Your role does not allow file transfer on this target.").ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(path) && SshFilePaths.Problem(path) is { } problem)
        {
            return await RefuseAsync(call, path, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
        }

        return await RunAsync(call, path, async sftp =>
        {
            var absolute = string.IsNullOrEmpty(path) ? sftp.HomeDirectory : SshFilePaths.Resolve(sftp.HomeDirectory, path);
            var entries = await sftp.ListAsync(absolute, call.Ct).ConfigureAwait(false);
            var shown = entries
                .OrderBy(e => e.Kind == SftpEntryKind.Directory ? 0 : 1)
                .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(e => e.Name, StringComparer.Ordinal)
                .Take(MaxListedEntries)
                .ToList();
            await AuditAsync(call, absolute, null, null, new JsonObject { ["entries"] = entries.Count }).ConfigureAwait(false);
            return Results.Json(new
            {
                path = absolute,
                home = sftp.HomeDirectory,
                parent = absolute == "/" ? null : SshFilePaths.Parent(absolute),
                mayDownload = call.Access.MayDownload,
                mayUpload = call.Access.MayUpload,
                maxChunkBytes = MaxChunkBytes,
                total = entries.Count,
                truncated = entries.Count > shown.Count,
                entries = shown.Select(e => new
                {
                    name = e.Name,
                    path = e.Path,
                    kind = KindName(e.Kind),
                    size = e.Size,
                    modified = e.Modified,
                    mode = e.Mode,
                }),
            });
        }).ConfigureAwait(false);
    }

    private static string KindName(SftpEntryKind kind) => kind switch
    {
        SftpEntryKind.File => "file",
        SftpEntryKind.Directory => "directory",
        SftpEntryKind.SymbolicLink => "link",
        _ => "other",
    };

    // ---- download -----------------------------------------------------------------------------------------------

    private static async Task DownloadAsync(HttpContext http, string sessionId, string? path)
    {
        var result = await DownloadOrRefuseAsync(http, sessionId, path).ConfigureAwait(false);
        if (result is not null)
        {
            await result.ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    /// <summary>Streams the file and returns null, or returns the refusal to send (nothing was written yet).</summary>
    private static async Task<IResult?> DownloadOrRefuseAsync(HttpContext http, string sessionId, string? path)
    {
        if (Find(http, sessionId, "download") is not { } call)
        {
            return NoSuchSession();
        }

        if (!call.Access.MayDownload)
        {
            return await RefuseAsync(call, path, StatusCodes.Status403Forbidden,
                "Your role does not allow downloading files from this target.").ConfigureAwait(false);
        }

        if (SshFilePaths.Problem(path) is { } problem)
        {
            return await RefuseAsync(call, path, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
        }

        string? absolute = null;
        long sent = 0;
        long size = 0;
        var started = false;
        try
        {
            await call.Panel.WaitSlotAsync(call.Ct).ConfigureAwait(false);
            try
            {
                var sftp = await call.Panel.SftpAsync(call.Ct).ConfigureAwait(false);
                absolute = SshFilePaths.Resolve(sftp.HomeDirectory, path!);
                var entry = await sftp.StatAsync(absolute, call.Ct).ConfigureAwait(false);
                if (entry.Kind != SftpEntryKind.File)
                {
                    return await RefuseAsync(call, absolute, StatusCodes.Status400BadRequest,
                        entry.Kind == SftpEntryKind.Directory ? "That is a directory; only files can be downloaded." : "Only regular files can be downloaded.").ConfigureAwait(false);
                }

                size = entry.Size;
                var source = await sftp.OpenReadAsync(absolute, call.Ct).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    var response = http.Response;
                    response.StatusCode = StatusCodes.Status200OK;
                    response.ContentType = "application/octet-stream";
                    response.ContentLength = size;
                    response.Headers.CacheControl = "no-store";
                    response.Headers.ContentDisposition = ContentDisposition(SshFilePaths.LastElement(absolute));
                    started = true;
                    sent = await CopyAsync(source, response.Body, size, call.Ct).ConfigureAwait(false);
                }
            }
            finally
            {
                call.Panel.ReleaseSlot();
            }
        }
        catch (Exception e) when (!started && IsFileFailure(e, call))
        {
            return await FailAsync(call, absolute ?? path, e).ConfigureAwait(false);
        }
        catch (Exception e) when (started && (IsFileFailure(e, call) || e is IOException))
        {
            // The headers are gone: the only way left to tell the browser is to cut the response short.
            var reason = call.Ct.IsCancellationRequested ? "The download was cancelled." : SentenceOf(e);
            SshFileLog.DownloadCut(call.Log, call.Access.TargetId, call.Actor, sent, size, reason);
            await AuditAsync(call, absolute, sent, reason).ConfigureAwait(false);
            http.Abort();
            return null;
        }

        if (sent < size)
        {
            const string shrank = "The file became shorter while it was being downloaded.";
            SshFileLog.DownloadCut(call.Log, call.Access.TargetId, call.Actor, sent, size, shrank);
            await AuditAsync(call, absolute, sent, shrank).ConfigureAwait(false);
            http.Abort();
            return null;
        }

        await AuditAsync(call, absolute, sent, null).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// <c>attachment</c> with a file name the browser saves safely: an ASCII fallback (anything else, quotes and
    /// backslashes as "_") and the exact name in RFC 5987 <c>filename*</c>.
    /// </summary>
    internal static string ContentDisposition(string name)
    {
        if (name.Length == 0 || name is "." or "..")
        {
            name = "download";
        }

        var ascii = new string([.. name.Select(c => c is >= ' ' and < '\u007f' and not '"' and not '\\' and not '/' ? c : '_')]);
        var header = new ContentDispositionHeaderValue("attachment") { FileName = "\"" + ascii + "\"" };
        header.FileNameStar = name;
        return header.ToString();
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes through one pooled buffer; returns how many.</summary>
    private static async Task<long> CopyAsync(Stream source, Stream destination, long limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            long total = 0;
            while (total < limit)
            {
                var want = (int)Math.Min(buffer.Length, limit - total);
                var n = await source.ReadAsync(buffer.AsMemory(0, want), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                total += n;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // ---- upload -------------------------------------------------------------------------------------------------

    private static async Task<IResult> UploadAsync(HttpContext http, string sessionId, string? path, string? offset, string? final)
    {
        if (Find(http, sessionId, "upload") is not { } call)
        {
            return NoSuchSession();
        }

        if (!call.Access.MayUpload)
        {
            return await RefuseAsync(call, path, StatusCodes.Status403Forbidden,
                "Your role does not allow uploading files to this target.").ConfigureAwait(false);
        }

        if (SshFilePaths.Problem(path) is { } problem)
        {
            return await RefuseAsync(call, path, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
        }

        if (!long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var at))
        {
            return await RefuseAsync(call, path, StatusCodes.Status400BadRequest, "The chunk's offset must be a whole number of bytes.").ConfigureAwait(false);
        }

        bool isFinal;
        switch (final)
        {
            case null or "" or "0" or "false": isFinal = false; break;
            case "1" or "true": isFinal = true; break;
            default:
                return await RefuseAsync(call, path, StatusCodes.Status400BadRequest, "final must be 1 or 0.").ConfigureAwait(false);
        }

        if (http.Request.ContentLength > MaxChunkBytes)
        {
            return await RefuseAsync(call, path, StatusCodes.Status413PayloadTooLarge, TooLarge()).ConfigureAwait(false);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxChunkBytes;
        }

        await call.Panel.WaitSlotAsync(call.Ct).ConfigureAwait(false);
        try
        {
            ISftpSession sftp;
            try
            {
                sftp = await call.Panel.SftpAsync(call.Ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsFileFailure(e, call))
            {
                return await FailAsync(call, path, e).ConfigureAwait(false);
            }

            var absolute = SshFilePaths.Resolve(sftp.HomeDirectory, path!);
            var upload = call.Panel.BeginChunk(absolute, at, call.Actor, call.Http.Connection.RemoteIpAddress?.ToString(),
                http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), out var refusal, out var expected);
            if (upload is null)
            {
                SshFileLog.Refused(call.Log, call.Op, call.Access.TargetId, call.Actor, refusal);
                await AuditAsync(call, absolute, at, refusal).ConfigureAwait(false);
                return Results.Json(new { error = refusal, expected }, statusCode: StatusCodes.Status409Conflict);
            }

            long written = 0;
            var keep = false;
            try
            {
                var target = await sftp.OpenWriteAsync(absolute, at, create: at == 0, call.Ct).ConfigureAwait(false);
                await using (target.ConfigureAwait(false))
                {
                    written = await CopyChunkAsync(http.Request.Body, target, call.Ct).ConfigureAwait(false);
                }

                keep = !isFinal;
            }
            catch (ChunkTooLargeException)
            {
                call.Panel.EndChunk(upload, 0, keep: false);
                await AuditAsync(call, absolute, upload.Written, TooLarge()).ConfigureAwait(false);
                return Results.Json(new { error = TooLarge() }, statusCode: StatusCodes.Status413PayloadTooLarge);
            }
            catch (Exception e) when (IsFileFailure(e, call) || e is BadHttpRequestException or IOException)
            {
                // A chunk cut short leaves the file's length unknown: the upload cannot go on from here.
                call.Panel.EndChunk(upload, 0, keep: false);
                var size = upload.Written;
                if (e is BadHttpRequestException or IOException || call.Ct.IsCancellationRequested)
                {
                    var reason = e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? TooLarge() : "The upload was cancelled.";
                    SshFileLog.OperationFailed(call.Log, call.Op, call.Access.TargetId, call.Actor, reason);
                    await AuditAsync(call, absolute, size, reason).ConfigureAwait(false);
                    return Results.Json(new { error = reason }, statusCode: reason == TooLarge() ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
                }

                return await FailAsync(call, absolute, e, size).ConfigureAwait(false);
            }

            call.Panel.EndChunk(upload, written, keep);
            if (isFinal)
            {
                await AuditAsync(call, absolute, upload.Written, null).ConfigureAwait(false);
            }

            return Results.Json(new { path = absolute, written = upload.Written, done = isFinal });
        }
        finally
        {
            call.Panel.ReleaseSlot();
        }
    }

    private static string TooLarge() => $"An upload chunk may hold at most {MaxChunkBytes / (1024 * 1024)} MiB.";

    /// <summary>Thrown by <see cref="CopyChunkAsync"/> when a body without a declared length runs past the cap.</summary>
    private sealed class ChunkTooLargeException : Exception
    {
    }

    private static async Task<long> CopyChunkAsync(Stream body, Stream target, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            long total = 0;
            while (true)
            {
                var n = await body.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    return total;
                }

                total += n;
                if (total > MaxChunkBytes)
                {
                    throw new ChunkTooLargeException();
                }

                await target.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // ---- mkdir, rename, delete ----------------------------------------------------------------------------------

    private static Task<IResult> MkdirAsync(HttpContext http, string sessionId) =>
        ChangePathAsync(http, sessionId, "mkdir", (sftp, path, ct) => sftp.CreateDirectoryAsync(path, ct));

    private static Task<IResult> DeleteAsync(HttpContext http, string sessionId) =>
        ChangePathAsync(http, sessionId, "delete", (sftp, path, ct) => sftp.DeleteAsync(path, ct));

    /// <summary>mkdir and delete: one path in a JSON body, the upload permission and the path check, the change, its audit.</summary>
    private static async Task<IResult> ChangePathAsync(HttpContext http, string sessionId, string operation, Func<ISftpSession, string, CancellationToken, Task> change)
    {
        if (Find(http, sessionId, operation) is not { } call)
        {
            return NoSuchSession();
        }

        var (body, bad) = await ReadJsonAsync<SshFilePathRequest>(call).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (await CheckChangeAsync(call, body!.Path) is { } refused)
        {
            return refused;
        }

        return await RunAsync(call, body.Path, async sftp =>
        {
            var absolute = SshFilePaths.Resolve(sftp.HomeDirectory, body.Path!);
            await change(sftp, absolute, call.Ct).ConfigureAwait(false);
            await AuditAsync(call, absolute, null, null).ConfigureAwait(false);
            return Results.Json(new { path = absolute });
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> RenameAsync(HttpContext http, string sessionId)
    {
        if (Find(http, sessionId, "rename") is not { } call)
        {
            return NoSuchSession();
        }

        var (body, bad) = await ReadJsonAsync<SshFileRenameRequest>(call).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (await CheckChangeAsync(call, body!.From) is { } refused)
        {
            return refused;
        }

        if (SshFilePaths.Problem(body.To) is { } problem)
        {
            return await RefuseAsync(call, body.From, StatusCodes.Status400BadRequest, "The new name is refused: " + Lower(problem),
                new JsonObject { ["to"] = SshFilePaths.ForAudit(body.To) }).ConfigureAwait(false);
        }

        return await RunAsync(call, body.From, async sftp =>
        {
            var from = SshFilePaths.Resolve(sftp.HomeDirectory, body.From!);
            var to = SshFilePaths.Resolve(sftp.HomeDirectory, body.To!);
            await sftp.RenameAsync(from, to, call.Ct).ConfigureAwait(false);
            await AuditAsync(call, from, null, null, new JsonObject { ["to"] = SshFilePaths.ForAudit(to) }).ConfigureAwait(false);
            return Results.Json(new { from, to });
        }, new JsonObject { ["to"] = SshFilePaths.ForAudit(body.To) }).ConfigureAwait(false);
    }

    /// <summary>The upload permission and the path check of mkdir, rename and delete; null when both pass.</summary>
    private static async Task<IResult?> CheckChangeAsync(Call call, string? path)
    {
        if (!call.Access.MayUpload)
        {
            return await RefuseAsync(call, path, StatusCodes.Status403Forbidden,
                "Your role does not allow changing files on this target.").ConfigureAwait(false);
        }

        if (SshFilePaths.Problem(path) is { } problem)
        {
            return await RefuseAsync(call, path, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
        }

        if (path!.Trim('/').Length == 0 || SshFilePaths.LastElement(path) is "." or "..")
        {
            return await RefuseAsync(call, path, StatusCodes.Status400BadRequest, "The path must name a file or directory, not \"/\", \".\" or \"..\".").ConfigureAwait(false);
        }

        return null;
    }

    private static async Task<(T? Body, IResult? Bad)> ReadJsonAsync<T>(Call call) where T : class
    {
        var request = call.Http.Request;
        if (request.ContentLength > MaxJsonBodyBytes)
        {
            return (null, Results.Json(new { error = "The request body is too large." }, statusCode: StatusCodes.Status413PayloadTooLarge));
        }

        if (call.Http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxJsonBodyBytes;
        }

        try
        {
            var body = await request.ReadFromJsonAsync<T>(call.Ct).ConfigureAwait(false);
            return body is null
                ? (null, Results.Json(new { error = "The request needs a JSON body." }, statusCode: StatusCodes.Status400BadRequest))
                : (body, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return (null, Results.Json(new { error = "The request body is not the JSON this call takes." }, statusCode: StatusCodes.Status400BadRequest));
        }
    }

    // ---- shared -------------------------------------------------------------------------------------------------

    /// <summary>Runs one SFTP operation in a slot, answering its failure with the status its kind calls for.</summary>
    private static async Task<IResult> RunAsync(Call call, string? path, Func<ISftpSession, Task<IResult>> operation, JsonObject? details = null)
    {
        await call.Panel.WaitSlotAsync(call.Ct).ConfigureAwait(false);
        ISftpSession? sftp = null;
        try
        {
            sftp = await call.Panel.SftpAsync(call.Ct).ConfigureAwait(false);
            return await operation(sftp).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFileFailure(e, call))
        {
            var audited = sftp is null || string.IsNullOrEmpty(path) ? path ?? sftp?.HomeDirectory : SshFilePaths.Resolve(sftp.HomeDirectory, path);
            return await FailAsync(call, audited, e, null, details).ConfigureAwait(false);
        }
        finally
        {
            call.Panel.ReleaseSlot();
        }
    }

    private static bool IsFileFailure(Exception e, Call call) =>
        e is SftpFailure or SshFailure || (e is OperationCanceledException && call.Ct.IsCancellationRequested);

    private static string SentenceOf(Exception e) => e switch
    {
        SftpFailure or SshFailure => e.Message,
        OperationCanceledException => "The request was cancelled.",
        _ => "The file operation failed.",
    };

    private static async Task<IResult> FailAsync(Call call, string? path, Exception e, long? size = null, JsonObject? details = null)
    {
        var status = e switch
        {
            SftpFailure { Kind: SftpFailureKind.NotFound } => StatusCodes.Status404NotFound,
            SftpFailure { Kind: SftpFailureKind.PermissionDenied } => StatusCodes.Status403Forbidden,
            SftpFailure { Kind: SftpFailureKind.AlreadyExists } => StatusCodes.Status409Conflict,
            OperationCanceledException => 499,
            _ => StatusCodes.Status502BadGateway,
        };
        var sentence = SentenceOf(e);
        SshFileLog.OperationFailed(call.Log, call.Op, call.Access.TargetId, call.Actor, sentence);
        await AuditAsync(call, path, size, sentence, details).ConfigureAwait(false);
        return Results.Json(new { error = sentence }, statusCode: status);
    }

    private static async Task<IResult> RefuseAsync(Call call, string? path, int status, string sentence, JsonObject? details = null)
    {
        SshFileLog.Refused(call.Log, call.Op, call.Access.TargetId, call.Actor, sentence);
        await AuditAsync(call, path, null, sentence, details).ConfigureAwait(false);
        return Results.Json(new { error = sentence }, statusCode: status);
    }

    private static string Lower(string sentence) => sentence.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence[1..];

    /// <summary>
    /// Audits one operation (<see cref="SshAuditKinds.FileOperation"/>): op, path, size when known, ok, and the error
    /// sentence when it failed or was refused. Written even when the browser has gone away.
    /// </summary>
    private static Task AuditAsync(Call call, string? path, long? size, string? error, JsonObject? extra = null)
    {
        var details = new JsonObject { ["op"] = call.Op, ["path"] = SshFilePaths.ForAudit(path) };
        if (size is { } s)
        {
            details["size"] = s;
        }

        details["ok"] = error is null;
        if (error is not null)
        {
            details["error"] = error;
        }

        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                details[key] = value?.DeepClone();
            }
        }

        return call.Http.RequestServices.GetRequiredService<IAuditLog>().WriteAsync(new AuditEvent
        {
            Kind = SshAuditKinds.FileOperation,
            Actor = call.Actor,
            Target = call.Access.TargetId,
            SessionId = call.Access.SessionId,
            ClientIp = call.Http.Connection.RemoteIpAddress?.ToString(),
            Details = details,
        }, CancellationToken.None);
    }
}
