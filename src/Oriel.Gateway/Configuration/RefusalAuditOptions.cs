namespace Oriel.Gateway.Configuration;

/// <summary>How <see cref="Audit.RefusalAuditor"/> bounds the audit rows of refusals made before authentication.</summary>
public sealed class RefusalAuditOptions
{
    /// <summary>Refusals after the first of a source are counted and summarised once per window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most (kind, reason, address) sources tracked at once; refusals from further sources are counted per kind
    /// without their address. Bounds memory, and the rows per window to about twice this number.
    /// </summary>
    public int MaxTrackedSources { get; set; } = 256;
}
