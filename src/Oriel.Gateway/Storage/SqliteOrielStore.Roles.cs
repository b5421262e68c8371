using Dapper;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string RoleColumns = "name AS Name, description AS Description, target_ids AS TargetIds, target_labels AS TargetLabels, " +
        "clipboard_read AS ClipboardRead, clipboard_write AS ClipboardWrite, resize AS Resize, max_sessions AS MaxSessions, declared AS Declared, create_links AS CreateLinks";

    public async Task<IReadOnlyList<RoleRecord>> ListRolesAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<RoleRow>($"SELECT {RoleColumns} FROM roles ORDER BY name;").ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<RoleRecord?> FindRoleAsync(string name, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<RoleRow>($"SELECT {RoleColumns} FROM roles WHERE name = @name;", new { name }).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task UpsertRoleAsync(RoleRecord role, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(
            "INSERT INTO roles (name, description, target_ids, target_labels, clipboard_read, clipboard_write, resize, max_sessions, declared, create_links, created_at, updated_at) " +
            "VALUES (@Name, @Description, @ids, @labels, @ClipboardRead, @ClipboardWrite, @Resize, @MaxSessions, @Declared, @CreateLinks, @now, @now) " +
            "ON CONFLICT (name) DO UPDATE SET description = excluded.description, target_ids = excluded.target_ids, " +
            "target_labels = excluded.target_labels, clipboard_read = excluded.clipboard_read, clipboard_write = excluded.clipboard_write, " +
            "resize = excluded.resize, max_sessions = excluded.max_sessions, declared = excluded.declared, create_links = excluded.create_links, " +
            "updated_at = excluded.updated_at;",
            new
            {
                role.Name,
                role.Description,
                ids = ToJson(role.TargetIds),
                labels = ToJson(role.TargetLabels),
                role.ClipboardRead,
                role.ClipboardWrite,
                role.Resize,
                role.MaxSessions,
                role.Declared,
                role.CreateLinks,
                now = Ms(now),
            }).ConfigureAwait(false);
    }

    public async Task<bool> DeleteRoleAsync(string name, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM roles WHERE name = @name;", new { name }).ConfigureAwait(false) > 0;
    }

    private sealed class RoleRow
    {
        public string Name { get; set; } = "";

        public string Description { get; set; } = "";

        public string TargetIds { get; set; } = "[]";

        public string TargetLabels { get; set; } = "[]";

        public long ClipboardRead { get; set; }

        public long ClipboardWrite { get; set; }

        public long Resize { get; set; }

        public long? MaxSessions { get; set; }

        public long Declared { get; set; }

        public long CreateLinks { get; set; }

        public RoleRecord ToRecord() => new(
            Name,
            Description,
            FromJson<List<string>>(TargetIds),
            FromJson<List<Dictionary<string, string>>>(TargetLabels).Select(d => (IReadOnlyDictionary<string, string>)d).ToList(),
            ClipboardRead != 0,
            ClipboardWrite != 0,
            Resize != 0,
            MaxSessions is { } m ? (int)m : null,
            Declared != 0)
        {
            CreateLinks = CreateLinks != 0,
        };
    }
}
