namespace Oriel.Gateway.Storage;

/// <summary>The stored JSON of a protocol without a settings record: only the format version.</summary>
internal sealed class SettingsVersionDocument
{
    /// <summary>Format version.</summary>
    public int V { get; set; }
}
