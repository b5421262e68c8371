namespace Oriel.Recording;

/// <summary>Which way recorded protocol bytes travelled.</summary>
public enum StreamDirection
{
    /// <summary>From the client (the browser's protocol client) to the server (the target); record kind <see cref="StreamRecordKind.ClientData"/>.</summary>
    ClientToServer,

    /// <summary>From the server to the client; record kind <see cref="StreamRecordKind.ServerData"/>.</summary>
    ServerToClient,
}
