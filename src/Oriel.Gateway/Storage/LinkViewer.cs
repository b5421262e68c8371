namespace Oriel.Gateway.Storage;

/// <summary>Which browser viewer a Web Desktop link opens. The numeric values are the token's viewer byte.</summary>
public enum LinkViewer : byte
{
    /// <summary>Oriel's own client: <c>/#/desktop/&lt;target&gt;</c> over TDP.</summary>
    Builtin = 0,

    /// <summary>Stock noVNC over the gateway's RFB passthrough: <c>/novnc/?target=&lt;target&gt;</c>.</summary>
    NoVnc = 1,
}
