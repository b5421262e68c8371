using Dapper;
using Oriel.Gateway.Links;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string LinkColumns = "id AS Id, user_id AS UserId, target_id AS TargetId, viewer AS Viewer, created_by AS CreatedBy, " +
        "created_at AS CreatedAt, expires_at AS ExpiresAt, used_at AS UsedAt, used_from_ip AS UsedFromIp";

    public async Task CreateLinkAsync(LinkRecord link, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(
            "INSERT INTO links (id, user_id, target_id, viewer, created_by, created_at, expires_at, used_at, used_from_ip) " +
            "VALUES (@Id, @UserId, @TargetId, @viewer, @CreatedBy, @created, @expires, @used, @UsedFromIp);",
            new
            {
                link.Id,
                link.UserId,
                link.TargetId,
                viewer = LinkViewers.Name(link.Viewer),
                link.CreatedBy,
                created = Ms(link.CreatedAt),
                expires = Ms(link.ExpiresAt),
                used = link.UsedAt is { } u ? Ms(u) : (long?)null,
                link.UsedFromIp,
            }).ConfigureAwait(false);
    }

    public async Task<LinkRecord?> FindLinkAsync(string id, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<LinkRow>($"SELECT {LinkColumns} FROM links WHERE id = @id;", new { id }).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<bool> TryUseLinkAsync(string id, DateTimeOffset now, string? clientIp, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync(
            "UPDATE links SET used_at = @now, used_from_ip = @clientIp WHERE id = @id AND used_at IS NULL AND expires_at > @now;",
            new { id, now = Ms(now), clientIp }).ConfigureAwait(false) == 1;
    }

    public async Task<int> PurgeLinksAsync(DateTimeOffset expiredBefore, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM links WHERE expires_at < @before;", new { before = Ms(expiredBefore) }).ConfigureAwait(false);
    }

    private sealed class LinkRow
    {
        public string Id { get; set; } = "";

        public string UserId { get; set; } = "";

        public string TargetId { get; set; } = "";

        public string Viewer { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public long CreatedAt { get; set; }

        public long ExpiresAt { get; set; }

        public long? UsedAt { get; set; }

        public string? UsedFromIp { get; set; }

        public LinkRecord ToRecord() => new(
            Id,
            UserId,
            TargetId,
            LinkViewers.TryParse(Viewer, out var v) ? v.Value : throw new InvalidDataException($"link {Id}: unknown viewer '{Viewer}'"),
            CreatedBy,
            FromMs(CreatedAt),
            FromMs(ExpiresAt),
            UsedAt is { } u ? FromMs(u) : null,
            UsedFromIp);
    }
}
