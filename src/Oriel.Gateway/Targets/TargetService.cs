using System.Text.Json.Nodes;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Targets;

/// <summary>Target administration with validation, encryption of the target's secrets and audit.</summary>
public sealed class TargetService(IOrielStore store, TargetSecretProtector secrets, IAuditLog audit, TimeProvider time)
{
    /// <summary>
    /// Creates or replaces a target by id. <paramref name="password"/>: null keeps the stored password, "" clears it,
    /// anything else is encrypted and stored. The record's own ciphertexts are ignored; other stored secrets are kept.
    /// </summary>
    /// <returns>True when created, false when updated.</returns>
    public Task<bool> SaveAsync(TargetRecord target, string? password, string actor, CancellationToken ct = default) =>
        SaveWithSecretsAsync(target, new TargetSecretChanges(Password: password), actor, ct);

    /// <summary>
    /// Creates or replaces a target by id, changing its stored secrets as <paramref name="changes"/> says (null keeps,
    /// "" clears, text replaces). The record's own ciphertexts are ignored. A private key must look like one
    /// (<see cref="PrivateKeyText"/>), and only SSH targets hold a key; a target that is not (or no longer) SSH keeps none.
    /// Audited as <c>admin.target.add</c>/<c>update</c> with whether each secret changed, never the secrets.
    /// </summary>
    /// <returns>True when created, false when updated.</returns>
    /// <exception cref="ArgumentException">The target or a secret is not valid.</exception>
    public async Task<bool> SaveWithSecretsAsync(TargetRecord target, TargetSecretChanges changes, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        TargetRules.Validate(target);
        var isSsh = target.Settings is SshTargetSettings;
        if (!isSsh && (changes.PrivateKey is { Length: > 0 } || changes.PrivateKeyPassphrase is { Length: > 0 }))
        {
            throw new ArgumentException($"a private key and its passphrase are for SSH targets; a {target.Protocol} target takes none");
        }

        var privateKey = changes.PrivateKey is { Length: > 0 } key ? PrivateKeyText.Normalize(key) : changes.PrivateKey;
        var existing = await store.FindTargetAsync(target.Id, ct).ConfigureAwait(false);
        var keyCiphertext = !isSsh ? null : Apply(privateKey, existing?.PrivateKeyCiphertext, target.Id, TargetSecretKind.PrivateKey);
        var passphraseCiphertext = !isSsh || keyCiphertext is null
            ? null
            : Apply(changes.PrivateKeyPassphrase, existing?.PrivateKeyPassphraseCiphertext, target.Id, TargetSecretKind.PrivateKeyPassphrase);
        if (isSsh && keyCiphertext is null && changes.PrivateKeyPassphrase is { Length: > 0 })
        {
            throw new ArgumentException("a passphrase was given but the target has no private key");
        }

        var stored = target with
        {
            PasswordCiphertext = Apply(changes.Password, existing?.PasswordCiphertext, target.Id, TargetSecretKind.Password),
            PrivateKeyCiphertext = keyCiphertext,
            PrivateKeyPassphraseCiphertext = passphraseCiphertext,
        };
        await store.UpsertTargetAsync(stored, time.GetUtcNow(), ct).ConfigureAwait(false);
        var details = new JsonObject
        {
            ["name"] = target.Name,
            ["protocol"] = target.Protocol,
            ["address"] = $"{target.Host}:{target.Port}",
            ["passwordChanged"] = changes.Password is not null,
        };
        if (target.Settings is SshTargetSettings ssh)
        {
            // A new ciphertext differs from the stored one even for the same text (fresh nonce): "changed" means written or cleared.
            details["keyChanged"] = existing?.PrivateKeyCiphertext != keyCiphertext;
            details["passphraseChanged"] = existing?.PrivateKeyPassphraseCiphertext != passphraseCiphertext;
            details["hostKeyPins"] = new JsonArray([.. ssh.HostKeyPins.Select(p => (JsonNode)p)]);
            details["trustOnFirstUse"] = ssh.TrustOnFirstUse;
            details["logins"] = new JsonArray([.. ssh.Logins.Select(l => (JsonNode)l)]);
        }

        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = existing is null ? AuditKinds.TargetAdd : AuditKinds.TargetUpdate,
                Actor = actor,
                Target = target.Id,
                Details = details,
            },
            ct).ConfigureAwait(false);
        return existing is null;
    }

    /// <summary>
    /// Replaces an SSH target's host key pins (an administrator confirming a new key; an empty list clears them, so the
    /// next connection pins on first use if the target allows it, else is refused). Audited as
    /// <c>admin.target.update</c> with the pins before and after.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No target has the id.</exception>
    /// <exception cref="ArgumentException">The target is not SSH, or a pin is not a fingerprint.</exception>
    public async Task SetHostKeyPinsAsync(string targetId, IReadOnlyList<string> pins, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pins);
        for (var attempt = 0; ; attempt++)
        {
            var target = await store.FindTargetAsync(targetId, ct).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"no target with id '{targetId}'");
            if (target.Settings is not SshTargetSettings ssh)
            {
                throw new ArgumentException($"target '{targetId}' is a {target.Protocol} target; host key pins are for SSH targets");
            }

            var replaced = ssh with { HostKeyPins = [.. pins.Distinct(StringComparer.Ordinal)] };
            TargetRules.Validate(target with { Settings = replaced });
            if (await store.ReplaceTargetSettingsAsync(targetId, ssh, replaced, time.GetUtcNow(), ct).ConfigureAwait(false))
            {
                await audit.WriteAsync(
                    new AuditEvent
                    {
                        Kind = AuditKinds.TargetUpdate,
                        Actor = actor,
                        Target = targetId,
                        Details = new JsonObject
                        {
                            ["hostKeyPins"] = new JsonArray([.. replaced.HostKeyPins.Select(p => (JsonNode)p)]),
                            ["previousHostKeyPins"] = new JsonArray([.. ssh.HostKeyPins.Select(p => (JsonNode)p)]),
                        },
                    },
                    ct).ConfigureAwait(false);
                return;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"target '{targetId}' kept changing while its host key pins were replaced; try again");
            }
        }
    }

    public async Task<bool> RemoveAsync(string id, string actor, CancellationToken ct = default)
    {
        if (!await store.DeleteTargetAsync(id, ct).ConfigureAwait(false))
        {
            return false;
        }

        await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.TargetRemove, Actor = actor, Target = id }, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>True when the stored password decrypts to <paramref name="password"/> (used to avoid needless re-encryption).</summary>
    public bool PasswordEquals(TargetRecord target, string password) => SecretEquals(target, TargetSecretKind.Password, password);

    /// <summary>
    /// True when the stored secret of <paramref name="kind"/> decrypts to <paramref name="secret"/> (a private key compared
    /// in its normalized form), so the configuration file re-applied at every start does not re-encrypt and re-audit.
    /// </summary>
    public bool SecretEquals(TargetRecord target, TargetSecretKind kind, string secret)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(secret);
        var ciphertext = kind switch
        {
            TargetSecretKind.Password => target.PasswordCiphertext,
            TargetSecretKind.PrivateKey => target.PrivateKeyCiphertext,
            _ => target.PrivateKeyPassphraseCiphertext,
        };
        if (ciphertext is null)
        {
            return false;
        }

        try
        {
            var stored = secrets.Unprotect(target.Id, kind, ciphertext);
            return stored == secret || (kind == TargetSecretKind.PrivateKey && stored == TryNormalize(secret));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static string? TryNormalize(string key)
    {
        try
        {
            return PrivateKeyText.Normalize(key);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private string? Apply(string? change, string? stored, string targetId, TargetSecretKind kind) => change switch
    {
        null => stored,
        "" => null,
        _ => secrets.Protect(targetId, kind, change),
    };
}
