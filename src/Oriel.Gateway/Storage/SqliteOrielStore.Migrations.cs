using System.Globalization;
using System.Reflection;
using Dapper;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string MigrationResourcePrefix = "Oriel.Gateway.Migrations.";

    /// <summary>The embedded migrations, "NNNN_name.sql", in order.</summary>
    internal static IReadOnlyList<(int Version, string Name, string Sql)> LoadMigrations()
    {
        var asm = typeof(SqliteOrielStore).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var name in asm.GetManifestResourceNames())
        {
            if (!name.StartsWith(MigrationResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = name[MigrationResourcePrefix.Length..];
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = asm.GetManifestResourceStream(name) ?? throw new InvalidOperationException(name);
            using var reader = new StreamReader(stream);
            list.Add((version, file, reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    public async Task<int> MigrateAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var dir = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        await using var tx = c.BeginTransaction();
        await c.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);",
            transaction: tx).ConfigureAwait(false);
        var current = await c.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schema_version;", transaction: tx).ConfigureAwait(false) ?? 0;
        foreach (var (version, name, sql) in LoadMigrations())
        {
            if (version <= current)
            {
                continue;
            }

            await c.ExecuteAsync(sql, transaction: tx).ConfigureAwait(false);
            await c.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at);",
                new { version, name, at = Ms(now) },
                tx).ConfigureAwait(false);
            current = version;
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (int)current;
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var exists = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';").ConfigureAwait(false);
        return exists == 0 ? 0 : (int)(await c.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schema_version;").ConfigureAwait(false) ?? 0);
    }
}
