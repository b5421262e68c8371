namespace Oriel.Rfb.Replay;

/// <summary>Which way recorded RFB bytes travelled.</summary>
public enum RfbStreamDirection
{
    /// <summary>From the VNC client (viewer) to the VNC server.</summary>
    ClientToServer,

    /// <summary>From the VNC server to the client.</summary>
    ServerToClient,
}
