using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Oriel.Gateway.Storage;

/// <summary>
/// The embedded SQLite store (one file, WAL mode). Each call opens a pooled connection; writes that must be
/// atomic run in one IMMEDIATE transaction. Split by concern into <c>SqliteOrielStore.*.cs</c>.
/// </summary>
public sealed partial class SqliteOrielStore : IOrielStore
{
    private const int SqliteConstraint = 19;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _connectionString;

    static SqliteOrielStore() => SQLitePCL.Batteries_V2.Init();

    /// <param name="databasePath">The database file; created when missing.</param>
    public SqliteOrielStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    public string DatabasePath { get; }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static T FromJson<T>(string text) where T : new() =>
        string.IsNullOrEmpty(text) ? new T() : JsonSerializer.Deserialize<T>(text, Json) ?? new T();

    private static bool IsConstraint(SqliteException e) => e.SqliteErrorCode == SqliteConstraint;
}
