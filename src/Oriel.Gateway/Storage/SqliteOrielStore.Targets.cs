using Dapper;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string TargetColumns = "id AS Id, name AS Name, protocol AS Protocol, host AS Host, port AS Port, description AS Description, " +
        "labels AS Labels, username AS Username, password_ciphertext AS PasswordCiphertext, vnc_security AS VncSecurity, " +
        "tls_verification AS TlsVerification, tls_pin AS TlsPin, declared AS Declared, jpeg_quality AS JpegQuality, passthrough_lossless AS PassthroughLossless";

    public async Task<IReadOnlyList<TargetRecord>> ListTargetsAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<TargetRow>($"SELECT {TargetColumns} FROM targets ORDER BY name;").ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<TargetRecord?> FindTargetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<TargetRow>($"SELECT {TargetColumns} FROM targets WHERE id = @id;", new { id }).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<TargetRecord?> FindTargetByNameAsync(string name, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<TargetRow>($"SELECT {TargetColumns} FROM targets WHERE name = @name;", new { name }).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task UpsertTargetAsync(TargetRecord target, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await c.ExecuteAsync(
                "INSERT INTO targets (id, name, protocol, host, port, description, labels, username, password_ciphertext, vnc_security, " +
                "tls_verification, tls_pin, declared, jpeg_quality, passthrough_lossless, created_at, updated_at) VALUES (@Id, @Name, @Protocol, @Host, @Port, @Description, @labels, " +
                "@Username, @PasswordCiphertext, @security, @tls, @TlsPin, @Declared, @JpegQuality, @PassthroughLossless, @now, @now) " +
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, protocol = excluded.protocol, host = excluded.host, port = excluded.port, " +
                "description = excluded.description, labels = excluded.labels, username = excluded.username, " +
                "password_ciphertext = excluded.password_ciphertext, vnc_security = excluded.vnc_security, " +
                "tls_verification = excluded.tls_verification, tls_pin = excluded.tls_pin, declared = excluded.declared, jpeg_quality = excluded.jpeg_quality, passthrough_lossless = excluded.passthrough_lossless, updated_at = excluded.updated_at;",
                new
                {
                    target.Id,
                    target.Name,
                    target.Protocol,
                    target.Host,
                    target.Port,
                    target.Description,
                    labels = ToJson(target.Labels),
                    target.Username,
                    target.PasswordCiphertext,
                    security = ToJson(target.VncSecurity),
                    tls = TargetRules.ToText(target.TlsVerification),
                    target.TlsPin,
                    target.Declared,
                    target.JpegQuality,
                    target.PassthroughLossless,
                    now = Ms(now),
                }).ConfigureAwait(false);
        }
        catch (SqliteException e) when (IsConstraint(e))
        {
            throw new StoreConflictException($"another target is named '{target.Name}'", e);
        }
    }

    public async Task<bool> DeleteTargetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM targets WHERE id = @id;", new { id }).ConfigureAwait(false) > 0;
    }

    private sealed class TargetRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Protocol { get; set; } = "";

        public string Host { get; set; } = "";

        public long Port { get; set; }

        public string Description { get; set; } = "";

        public string Labels { get; set; } = "{}";

        public string? Username { get; set; }

        public string? PasswordCiphertext { get; set; }

        public string VncSecurity { get; set; } = "[]";

        public string TlsVerification { get; set; } = "system";

        public string? TlsPin { get; set; }

        public long Declared { get; set; }

        public long? JpegQuality { get; set; }

        public long PassthroughLossless { get; set; }

        public TargetRecord ToRecord() => new(
            Id,
            Name,
            Protocol,
            Host,
            (int)Port,
            Description,
            FromJson<Dictionary<string, string>>(Labels),
            Username,
            PasswordCiphertext,
            FromJson<List<string>>(VncSecurity),
            TargetRules.ParseTlsVerification(TlsVerification),
            TlsPin,
            Declared != 0)
        {
            JpegQuality = JpegQuality is { } q ? (int)q : null,
            PassthroughLossless = PassthroughLossless != 0,
        };
    }
}
