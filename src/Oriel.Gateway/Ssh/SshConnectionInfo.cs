namespace Oriel.Gateway.Ssh;

/// <summary>What a connection negotiated: algorithm names as on the wire.</summary>
public sealed record SshConnectionInfo(
    string ServerVersion,
    string KeyExchange,
    SshHostKey HostKey,
    string CipherClientToServer,
    string CipherServerToClient,
    string MacClientToServer,
    string MacServerToClient,
    string AuthenticationMethod);
