using Dapper;
using Microsoft.Data.Sqlite;

namespace Oriel.Gateway.Storage;

public sealed partial class SqliteOrielStore
{
    private const string UserColumns = "id AS Id, username AS Username, password_hash AS PasswordHash, is_admin AS IsAdmin, " +
        "must_change_password AS MustChangePassword, declared AS Declared, created_at AS CreatedAt";

    public async Task<int> CountUsersAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return (int)await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users;").ConfigureAwait(false);
    }

    public Task<UserRecord?> FindUserByNameAsync(string username, CancellationToken ct = default) =>
        FindUserAsync("username = @v", username, ct);

    public Task<UserRecord?> FindUserByIdAsync(string userId, CancellationToken ct = default) =>
        FindUserAsync("id = @v", userId, ct);

    private async Task<UserRecord?> FindUserAsync(string where, string value, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE {where};", new { v = value }).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var roles = await c.QueryAsync<string>("SELECT role_name FROM user_roles WHERE user_id = @id ORDER BY role_name;", new { id = row.Id }).ConfigureAwait(false);
        return row.ToRecord(roles.ToList());
    }

    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<UserRow>($"SELECT {UserColumns} FROM users ORDER BY username;").ConfigureAwait(false);
        var grants = (await c.QueryAsync<(string UserId, string Role)>("SELECT user_id, role_name FROM user_roles ORDER BY role_name;").ConfigureAwait(false))
            .ToLookup(g => g.UserId, g => g.Role);
        return rows.Select(r => r.ToRecord(grants[r.Id].ToList())).ToList();
    }

    public async Task CreateUserAsync(UserRecord user, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = c.BeginTransaction();
        try
        {
            await c.ExecuteAsync(
                "INSERT INTO users (id, username, password_hash, is_admin, must_change_password, declared, created_at, updated_at) " +
                "VALUES (@Id, @Username, @PasswordHash, @IsAdmin, @MustChangePassword, @Declared, @created, @created);",
                new { user.Id, user.Username, user.PasswordHash, user.IsAdmin, user.MustChangePassword, user.Declared, created = Ms(now) },
                tx).ConfigureAwait(false);
        }
        catch (SqliteException e) when (IsConstraint(e))
        {
            throw new StoreConflictException($"a user named '{user.Username}' already exists", e);
        }

        await WriteRolesAsync(c, tx, user).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    public async Task<bool> UpdateUserAsync(UserRecord user, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = c.BeginTransaction();
        int n;
        try
        {
            n = await c.ExecuteAsync(
                "UPDATE users SET username = @Username, password_hash = @PasswordHash, is_admin = @IsAdmin, " +
                "must_change_password = @MustChangePassword, declared = @Declared, updated_at = @updated WHERE id = @Id;",
                new { user.Id, user.Username, user.PasswordHash, user.IsAdmin, user.MustChangePassword, user.Declared, updated = Ms(now) },
                tx).ConfigureAwait(false);
        }
        catch (SqliteException e) when (IsConstraint(e))
        {
            throw new StoreConflictException($"a user named '{user.Username}' already exists", e);
        }

        if (n == 0)
        {
            return false;
        }

        await c.ExecuteAsync("DELETE FROM user_roles WHERE user_id = @Id;", new { user.Id }, tx).ConfigureAwait(false);
        await WriteRolesAsync(c, tx, user).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    private static async Task WriteRolesAsync(SqliteConnection c, SqliteTransaction tx, UserRecord user)
    {
        foreach (var role in user.Roles.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                await c.ExecuteAsync("INSERT INTO user_roles (user_id, role_name) VALUES (@id, @role);", new { id = user.Id, role }, tx).ConfigureAwait(false);
            }
            catch (SqliteException e) when (IsConstraint(e))
            {
                throw new StoreConflictException($"no role named '{role}'", e);
            }
        }
    }

    public async Task<bool> DeleteUserAsync(string userId, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM users WHERE id = @userId;", new { userId }).ConfigureAwait(false) > 0;
    }

    private sealed class UserRow
    {
        public string Id { get; set; } = "";

        public string Username { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public long IsAdmin { get; set; }

        public long MustChangePassword { get; set; }

        public long Declared { get; set; }

        public long CreatedAt { get; set; }

        public UserRecord ToRecord(IReadOnlyList<string> roles) =>
            new(Id, Username, PasswordHash, IsAdmin != 0, MustChangePassword != 0, Declared != 0, roles, FromMs(CreatedAt));
    }
}
