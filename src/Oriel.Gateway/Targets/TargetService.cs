using System.Text.Json.Nodes;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Targets;

/// <summary>Target administration with validation, password encryption and audit.</summary>
public sealed class TargetService(IOrielStore store, TargetSecretProtector secrets, IAuditLog audit, TimeProvider time)
{
    /// <summary>
    /// Creates or replaces a target by id. <paramref name="password"/>: null keeps the stored password, "" clears it,
    /// anything else is encrypted and stored. The record's own <see cref="TargetRecord.PasswordCiphertext"/> is ignored.
    /// </summary>
    /// <returns>True when created, false when updated.</returns>
    public async Task<bool> SaveAsync(TargetRecord target, string? password, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        TargetRules.Validate(target);
        var existing = await store.FindTargetAsync(target.Id, ct).ConfigureAwait(false);
        var ciphertext = password switch
        {
            null => existing?.PasswordCiphertext,
            "" => null,
            _ => secrets.Protect(target.Id, password),
        };
        await store.UpsertTargetAsync(target with { PasswordCiphertext = ciphertext }, time.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = existing is null ? AuditKinds.TargetAdd : AuditKinds.TargetUpdate,
                Actor = actor,
                Target = target.Id,
                Details = new JsonObject
                {
                    ["name"] = target.Name,
                    ["protocol"] = target.Protocol,
                    ["address"] = $"{target.Host}:{target.Port}",
                    ["passwordChanged"] = password is not null,
                },
            },
            ct).ConfigureAwait(false);
        return existing is null;
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
    public bool PasswordEquals(TargetRecord target, string password)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.PasswordCiphertext is null)
        {
            return false;
        }

        try
        {
            return secrets.Unprotect(target.Id, target.PasswordCiphertext) == password;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
