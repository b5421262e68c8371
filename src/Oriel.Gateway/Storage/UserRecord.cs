namespace Oriel.Gateway.Storage;

/// <summary>A local user account as stored.</summary>
/// <param name="Id">Stable opaque id (never reused).</param>
/// <param name="Username">Unique, case-insensitive sign-in name.</param>
/// <param name="PasswordHash">Encoded PBKDF2 hash (see <see cref="Security.PasswordHasher"/>).</param>
/// <param name="IsAdmin">Admins manage everything and may reach every target.</param>
/// <param name="MustChangePassword">Set for generated/initial passwords; cleared by a password change.</param>
/// <param name="Declared">Declared in the configuration file (re-applied at every start).</param>
/// <param name="Roles">Names of the roles granted to the user.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record UserRecord(
    string Id,
    string Username,
    string PasswordHash,
    bool IsAdmin,
    bool MustChangePassword,
    bool Declared,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt);
