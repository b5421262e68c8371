using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Audit;

/// <summary>The tamper-evident audit log. Writes are durable when the task completes.</summary>
public interface IAuditLog
{
    Task WriteAsync(AuditEvent e, CancellationToken ct = default);

    Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery q, CancellationToken ct = default);

    /// <summary>Walks the whole chain from the first row.</summary>
    Task<AuditChainVerification> VerifyChainAsync(CancellationToken ct = default);
}
