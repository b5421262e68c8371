using Dapper;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string RoleColumns = "name AS Name, description AS Description, target_ids AS TargetIds, target_labels AS TargetLabels, " +
        "clipboard_read AS ClipboardRead, clipboard_write AS ClipboardWrite, resize AS Resize, max_sessions AS MaxSessions, declared AS Declared, create_links AS CreateLinks, " +
        "recording AS Recording, record_input AS RecordInput, recordings_access AS RecordingsAccess, watch_live AS WatchLive, " +
        "logins AS Logins, file_download AS FileDownload, file_upload AS FileUpload, browser_auth_prompts AS BrowserAuthPrompts";

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
            "INSERT INTO roles (name, description, target_ids, target_labels, clipboard_read, clipboard_write, resize, max_sessions, declared, create_links, " +
            "recording, record_input, recordings_access, watch_live, logins, file_download, file_upload, browser_auth_prompts, created_at, updated_at) " +
            "VALUES (@Name, @Description, @ids, @labels, @ClipboardRead, @ClipboardWrite, @Resize, @MaxSessions, @Declared, @CreateLinks, " +
            "@recording, @recordInput, @recordings, @WatchLive, @logins, @FileDownload, @FileUpload, @BrowserAuthPrompts, @now, @now) " +
            "ON CONFLICT (name) DO UPDATE SET description = excluded.description, target_ids = excluded.target_ids, " +
            "target_labels = excluded.target_labels, clipboard_read = excluded.clipboard_read, clipboard_write = excluded.clipboard_write, " +
            "resize = excluded.resize, max_sessions = excluded.max_sessions, declared = excluded.declared, create_links = excluded.create_links, " +
            "recording = excluded.recording, record_input = excluded.record_input, recordings_access = excluded.recordings_access, " +
            "watch_live = excluded.watch_live, logins = excluded.logins, file_download = excluded.file_download, " +
            "file_upload = excluded.file_upload, browser_auth_prompts = excluded.browser_auth_prompts, updated_at = excluded.updated_at;",
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
                recording = RecordingSettingNames.ToText(role.Recording),
                recordInput = RecordingSettingNames.ToText(role.RecordInput),
                recordings = RecordingSettingNames.ToText(role.Recordings),
                role.WatchLive,
                logins = ToJson(role.Logins),
                role.FileDownload,
                role.FileUpload,
                role.BrowserAuthPrompts,
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

        public string Recording { get; set; } = "best-effort";

        public string RecordInput { get; set; } = "redacted";

        public string RecordingsAccess { get; set; } = "none";

        public long WatchLive { get; set; }

        public string Logins { get; set; } = "[]";

        public long FileDownload { get; set; }

        public long FileUpload { get; set; }

        public long BrowserAuthPrompts { get; set; }

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
            Recording = Parse(RecordingSettingNames.ParseMode, Recording, "recording"),
            RecordInput = Parse(RecordingSettingNames.ParseInput, RecordInput, "record_input"),
            Recordings = Parse(RecordingSettingNames.ParseAccess, RecordingsAccess, "recordings_access"),
            WatchLive = WatchLive != 0,
            Logins = FromJson<List<string>>(Logins),
            FileDownload = FileDownload != 0,
            FileUpload = FileUpload != 0,
            BrowserAuthPrompts = BrowserAuthPrompts != 0,
        };

        private T Parse<T>(Func<string, T> parse, string text, string column)
        {
            try
            {
                return parse(text);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"role '{Name}': stored {column}: {e.Message}", e);
            }
        }
    }
}
