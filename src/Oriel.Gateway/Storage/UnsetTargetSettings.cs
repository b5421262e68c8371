namespace Oriel.Gateway.Storage;

/// <summary>
/// The settings of a target whose protocol has no settings record yet (RDP, which the gateway cannot reach yet):
/// nothing but the protocol name. Stored as a JSON document with only its version.
/// </summary>
/// <param name="ProtocolName">The target's protocol.</param>
public sealed record UnsetTargetSettings(string ProtocolName) : TargetSettings
{
    public override string Protocol => ProtocolName;

    public override void Validate()
    {
        if (ProtocolName == VncTargetSettings.ProtocolName)
        {
            throw new ArgumentException("a VNC target needs VNC settings");
        }

        if (ProtocolName == SshTargetSettings.ProtocolName)
        {
            throw new ArgumentException("an SSH target needs SSH settings");
        }
    }

    public override bool SameAs(TargetSettings other) => other is UnsetTargetSettings o && o.ProtocolName == ProtocolName;
}
