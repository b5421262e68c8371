using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Configuration;

/// <summary>Upserts what the configuration file declares. Objects missing from the file are left alone.</summary>
public sealed class ConfigFileApplier(
    IOrielStore store,
    TargetService targets,
    RoleService roles,
    UserService users,
    IAuditLog audit,
    GatewayOptions options,
    TimeProvider time,
    ILogger<ConfigFileApplier> log)
{
    private const string Actor = "config";

    public async Task ApplyAsync(OrielConfigFile file, string source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        foreach (var t in file.Targets)
        {
            await ApplyTargetAsync(t, source, ct).ConfigureAwait(false);
        }

        foreach (var r in file.Roles)
        {
            var role = new RoleRecord(
                r.Name,
                r.Description ?? "",
                r.Targets ?? [],
                (r.TargetLabels ?? []).Select(d => (IReadOnlyDictionary<string, string>)d).ToList(),
                r.ClipboardRead,
                r.ClipboardWrite,
                r.Resize,
                r.MaxSessions,
                Declared: true)
            {
                CreateLinks = r.CreateLinks,
                Recording = RoleSetting(r.Recording, RecordingMode.BestEffort, RecordingSettingNames.ParseMode, r.Name, "recording", source),
                RecordInput = RoleSetting(r.RecordInput, InputRecording.Redacted, RecordingSettingNames.ParseInput, r.Name, "recordInput", source),
                Recordings = RoleSetting(r.Recordings, RecordingsAccess.None, RecordingSettingNames.ParseAccess, r.Name, "recordings", source),
                WatchLive = r.WatchLive,
                Logins = r.Logins ?? [],
                FileDownload = r.FileDownload,
                FileUpload = r.FileUpload,
                BrowserAuthPrompts = r.BrowserAuthPrompts,
            };
            var existing = await store.FindRoleAsync(r.Name, ct).ConfigureAwait(false);
            if (existing is null || !SameRole(existing, role))
            {
                try
                {
                    await roles.SaveAsync(role, Actor, ct).ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException($"{source}: role '{r.Name}': {e.Message}", e);
                }
            }
        }

        foreach (var u in file.Users)
        {
            await ApplyUserAsync(u, source, ct).ConfigureAwait(false);
        }

        Log.ConfigApplied(log, source, file.Targets.Count, file.Roles.Count, file.Users.Count);
    }

    /// <summary>A role's text setting, or <paramref name="unset"/>; an unknown value names the file, the role and the choices.</summary>
    private static T RoleSetting<T>(string? text, T unset, Func<string, T> parse, string role, string field, string source)
    {
        if (text is null)
        {
            return unset;
        }

        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: role '{role}': {field}: {e.Message}", e);
        }
    }

    private static bool SameRole(RoleRecord a, RoleRecord b) =>
        a.Name == b.Name && a.Recording == b.Recording && a.RecordInput == b.RecordInput && a.Recordings == b.Recordings && a.WatchLive == b.WatchLive && a.Description == b.Description && a.ClipboardRead == b.ClipboardRead && a.ClipboardWrite == b.ClipboardWrite
        && a.Resize == b.Resize && a.MaxSessions == b.MaxSessions && a.Declared == b.Declared && a.CreateLinks == b.CreateLinks
        && a.FileDownload == b.FileDownload && a.FileUpload == b.FileUpload && a.BrowserAuthPrompts == b.BrowserAuthPrompts
        && a.Logins.SequenceEqual(b.Logins) && a.TargetIds.SequenceEqual(b.TargetIds)
        && a.TargetLabels.Count == b.TargetLabels.Count
        && a.TargetLabels.Zip(b.TargetLabels).All(p => p.First.Count == p.Second.Count
            && p.First.All(kv => p.Second.TryGetValue(kv.Key, out var v) && v == kv.Value));

    private async Task ApplyTargetAsync(OrielConfigFile.TargetEntry t, string source, CancellationToken ct)
    {
        var id = t.Id ?? TargetRules.IdFromName(t.Name);
        string? pin = null;
        if (t.TlsPin is not null && !TargetRules.TryParsePin(t.TlsPin, out pin))
        {
            throw new InvalidDataException($"{source}: target '{t.Name}': tlsPin must be sha256:<64 hex digits>");
        }

        TargetSettings settings;
        try
        {
            settings = TargetRules.SettingsFor(
                t.Protocol,
                t.Security ?? [],
                pin is not null ? TlsVerification.Pinned : t.TlsInsecure ? TlsVerification.Insecure : TlsVerification.System,
                pin,
                t.JpegQuality,
                t.PassthroughLossless,
                new SshSettingOptions(t.HostKeyPins, t.TrustOnFirstUse, t.TerminalType, t.Logins));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: target '{t.Name}': {e.Message}", e);
        }

        var existing = await store.FindTargetAsync(id, ct).ConfigureAwait(false);
        var record = new TargetRecord(
            id,
            t.Name,
            t.Host,
            t.Port,
            t.Description ?? "",
            t.Labels ?? [],
            t.Username,
            null,
            TargetRules.KeepHostKeyPins(settings, existing, pinsNamed: t.HostKeyPins is not null),
            Declared: true);

        var changes = new TargetSecretChanges(
            await ReadSecretAsync(t.PasswordEnv, t.PasswordFile, "password", t.Name, source, ct).ConfigureAwait(false),
            await ReadSecretAsync(t.PrivateKeyEnv, t.PrivateKeyFile, "privateKey", t.Name, source, ct).ConfigureAwait(false),
            await ReadSecretAsync(t.PrivateKeyPassphraseEnv, t.PrivateKeyPassphraseFile, "privateKeyPassphrase", t.Name, source, ct).ConfigureAwait(false));
        if (existing is not null)
        {
            // Unchanged secrets keep their stored ciphertext (no re-encryption, no audit event at every start).
            changes = changes with
            {
                Password = changes.Password is { } p && targets.SecretEquals(existing, TargetSecretKind.Password, p) ? null : changes.Password,
                PrivateKey = changes.PrivateKey is { } k && targets.SecretEquals(existing, TargetSecretKind.PrivateKey, k) ? null : changes.PrivateKey,
                PrivateKeyPassphrase = changes.PrivateKeyPassphrase is { } q && targets.SecretEquals(existing, TargetSecretKind.PrivateKeyPassphrase, q)
                    ? null
                    : changes.PrivateKeyPassphrase,
            };
        }

        if (existing is not null && changes == TargetSecretChanges.None && TargetRules.SameDefinition(existing, record))
        {
            return; // nothing changed
        }

        try
        {
            await targets.SaveWithSecretsAsync(record, changes, Actor, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: target '{t.Name}': {e.Message}", e);
        }
    }

    /// <summary>
    /// A secret named by an environment variable or a file (trailing newline removed), or null when neither is given.
    /// An unset variable, and for the key and passphrase both given or an empty secret, is an error naming the file, the
    /// target and the field.
    /// </summary>
    private async Task<string?> ReadSecretAsync(string? env, string? file, string field, string target, string source, CancellationToken ct)
    {
        var isPassword = field == "password"; // as it always was: the variable wins over the file, and an empty password clears
        if (env is not null && file is not null && !isPassword)
        {
            throw new InvalidDataException($"{source}: target '{target}': give either {field}Env or {field}File");
        }

        string? secret = null;
        if (env is not null)
        {
            secret = options.GetEnvironmentVariable(env)
                ?? throw new InvalidDataException($"{source}: target '{target}': environment variable {env} is not set");
        }
        else if (file is not null)
        {
            try
            {
                secret = (await File.ReadAllTextAsync(file, ct).ConfigureAwait(false)).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidDataException($"{source}: target '{target}': {field}File '{file}' cannot be read: {e.Message}", e);
            }
        }

        if (secret is { Length: 0 } && !isPassword)
        {
            throw new InvalidDataException($"{source}: target '{target}': the {field} read is empty");
        }

        return secret;
    }

    private async Task ApplyUserAsync(OrielConfigFile.UserEntry u, string source, CancellationToken ct)
    {
        var roleNames = u.Roles ?? [];
        var existing = await store.FindUserByNameAsync(u.Username, ct).ConfigureAwait(false);
        if (existing is null)
        {
            string? initial = null;
            if (u.PasswordHash is null)
            {
                initial = u.InitialPasswordEnv is null ? null : options.GetEnvironmentVariable(u.InitialPasswordEnv);
                if (initial is null)
                {
                    throw new InvalidDataException($"{source}: user '{u.Username}' needs passwordHash or a set initialPasswordEnv");
                }
            }

            try
            {
                await users.CreateAsync(u.Username, initial, u.IsAdmin, roleNames, mustChangePassword: initial is not null, Actor, u.PasswordHash, declared: true, ct)
                    .ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{source}: user '{u.Username}': {e.Message}", e);
            }

            return;
        }

        var updated = existing with
        {
            IsAdmin = u.IsAdmin,
            Roles = roleNames,
            Declared = true,
            PasswordHash = u.PasswordHash ?? existing.PasswordHash,
        };
        if (updated.PasswordHash != existing.PasswordHash && !Security.PasswordHasher.IsWellFormed(updated.PasswordHash))
        {
            throw new InvalidDataException($"{source}: user '{u.Username}': passwordHash is not a $pbkdf2-sha256$ hash");
        }

        if (updated.IsAdmin != existing.IsAdmin || updated.PasswordHash != existing.PasswordHash || !existing.Declared
            || !updated.Roles.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(existing.Roles.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
        {
            await store.UpdateUserAsync(updated, time.GetUtcNow(), ct).ConfigureAwait(false);
            await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.UserUpdate, Actor = Actor, Target = u.Username }, ct).ConfigureAwait(false);
        }
    }
}
