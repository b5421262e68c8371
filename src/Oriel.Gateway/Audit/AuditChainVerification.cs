namespace Oriel.Gateway.Audit;

/// <summary>The outcome of walking the audit hash chain.</summary>
/// <param name="IsValid">True when every row links to its predecessor and hashes to its stored hash.</param>
/// <param name="Count">Rows checked and found good.</param>
/// <param name="FirstBadSequence">The first row that failed, when invalid.</param>
/// <param name="Problem">What failed, when invalid.</param>
/// <param name="HeadHash">Lowercase hex hash of the last good row (keep it elsewhere to detect truncation).</param>
public sealed record AuditChainVerification(bool IsValid, long Count, long? FirstBadSequence, string? Problem, string HeadHash);
