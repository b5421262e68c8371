using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Audit;

/// <summary><see cref="IAuditLog"/> over the store's hash-chained audit table.</summary>
public sealed class AuditLog(IOrielStore store, TimeProvider time) : IAuditLog
{
    public async Task WriteAsync(AuditEvent e, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        var stamped = e.Time == default ? e with { Time = time.GetUtcNow() } : e;
        await store.AppendAuditAsync(stamped, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery q, CancellationToken ct = default)
    {
        var rows = await store.QueryAuditAsync(q, ct).ConfigureAwait(false);
        return rows.Select(r => r.Event).ToList();
    }

    public async Task<AuditChainVerification> VerifyChainAsync(CancellationToken ct = default)
    {
        var prev = AuditChain.Genesis;
        long count = 0;
        await foreach (var row in store.ReadAuditChainAsync(ct).ConfigureAwait(false))
        {
            var problem = AuditChain.Check(row, prev, count + 1);
            if (problem is not null)
            {
                return new AuditChainVerification(false, count, row.Sequence, problem, Convert.ToHexStringLower(prev));
            }

            prev = row.Hash;
            count++;
        }

        return new AuditChainVerification(true, count, null, null, Convert.ToHexStringLower(prev));
    }
}
