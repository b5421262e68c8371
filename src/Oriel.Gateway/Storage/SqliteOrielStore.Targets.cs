using Dapper;
using Microsoft.Data.Sqlite;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string TargetColumns = "id AS Id, name AS Name, protocol AS Protocol, host AS Host, port AS Port, description AS Description, " +
        "labels AS Labels, username AS Username, password_ciphertext AS PasswordCiphertext, settings AS Settings, declared AS Declared, " +
        "private_key_ciphertext AS PrivateKeyCiphertext, private_key_passphrase_ciphertext AS PrivateKeyPassphraseCiphertext";

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
                "INSERT INTO targets (id, name, protocol, host, port, description, labels, username, password_ciphertext, settings, " +
                "declared, private_key_ciphertext, private_key_passphrase_ciphertext, created_at, updated_at) VALUES (@Id, @Name, @Protocol, " +
                "@Host, @Port, @Description, @labels, @Username, @PasswordCiphertext, @settings, @Declared, @PrivateKeyCiphertext, " +
                "@PrivateKeyPassphraseCiphertext, @now, @now) " +
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, protocol = excluded.protocol, host = excluded.host, port = excluded.port, " +
                "description = excluded.description, labels = excluded.labels, username = excluded.username, " +
                "password_ciphertext = excluded.password_ciphertext, settings = excluded.settings, " +
                "declared = excluded.declared, private_key_ciphertext = excluded.private_key_ciphertext, " +
                "private_key_passphrase_ciphertext = excluded.private_key_passphrase_ciphertext, updated_at = excluded.updated_at;",
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
                    settings = TargetSettingsJson.Serialize(target.Settings),
                    target.Declared,
                    target.PrivateKeyCiphertext,
                    target.PrivateKeyPassphraseCiphertext,
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

    public async Task<bool> ReplaceTargetSettingsAsync(string id, TargetSettings expected, TargetSettings replacement, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        if (expected.Protocol != replacement.Protocol)
        {
            throw new ArgumentException("the replacement settings are for another protocol", nameof(replacement));
        }

        replacement.Validate();
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: no other writer between the read and the write
        var row = await c.QuerySingleOrDefaultAsync<TargetRow>($"SELECT {TargetColumns} FROM targets WHERE id = @id;", new { id }, tx).ConfigureAwait(false);
        if (row is null || !row.ToRecord().Settings.SameAs(expected))
        {
            return false;
        }

        await c.ExecuteAsync(
            "UPDATE targets SET settings = @replacement, updated_at = @now WHERE id = @id;",
            new { id, replacement = TargetSettingsJson.Serialize(replacement), now = Ms(now) },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
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

        public string Settings { get; set; } = "{}";

        public long Declared { get; set; }

        public string? PrivateKeyCiphertext { get; set; }

        public string? PrivateKeyPassphraseCiphertext { get; set; }

        public TargetRecord ToRecord()
        {
            TargetSettings settings;
            try
            {
                settings = TargetSettingsJson.Deserialize(Protocol, Settings);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"target '{Id}': {e.Message}", e);
            }

            return new(
                Id,
                Name,
                Host,
                (int)Port,
                Description,
                FromJson<Dictionary<string, string>>(Labels),
                Username,
                PasswordCiphertext,
                settings,
                Declared != 0)
            {
                PrivateKeyCiphertext = PrivateKeyCiphertext,
                PrivateKeyPassphraseCiphertext = PrivateKeyPassphraseCiphertext,
            };
        }
    }
}
