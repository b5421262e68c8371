namespace Oriel.Gateway.Storage;

/// <summary>A stored audit row: the event, its JSON details exactly as hashed, and its chain links.</summary>
public sealed record AuditRecord(AuditEvent Event, string DetailsJson, byte[] PrevHash, byte[] Hash)
{
    public long Sequence => Event.Sequence;
}
