namespace Oriel.Gateway.Storage;

/// <summary>
/// A target's settings for its protocol, one record type per protocol (<see cref="VncTargetSettings"/>,
/// <see cref="SshTargetSettings"/>; RDP gets its own later). Stored as versioned JSON next to the protocol name (see <see cref="TargetSettingsJson"/>), so
/// a new protocol or a new setting needs no new column. Secrets never live here: the target password, SSH private key and
/// its passphrase stay encrypted in their own columns.
/// </summary>
public abstract record TargetSettings
{
    /// <summary>The protocol these settings belong to ("vnc", ...).</summary>
    public abstract string Protocol { get; }

    /// <summary>True when <paramref name="other"/> holds the same settings (lists compared by content).</summary>
    public abstract bool SameAs(TargetSettings other);

    /// <summary>Throws <see cref="ArgumentException"/> with a readable message when a value is not valid.</summary>
    public abstract void Validate();
}
