namespace Oriel.Gateway.Ssh;

/// <summary>Where and as whom to connect, and how to decide on the server's host key. Never logged whole (it holds secrets).</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Username">The login.</param>
/// <param name="Credentials">What the vault holds for this login (any may be null).</param>
/// <param name="AcceptHostKey">
/// Called once during key exchange with the key the server presented; true trusts it. Runs on the library's thread and
/// must not block on I/O (the pinning decision is made from the target's settings already in memory; recording a
/// first-use pin happens after the connection, see <see cref="ISshHostKeyStore"/>).
/// </param>
public sealed record SshConnectRequest(string Host, int Port, string Username, SshCredentials Credentials, Func<SshHostKey, bool> AcceptHostKey)
{
    /// <summary>Answers keyboard-interactive prompts (and a password the vault does not hold) from the user; null: vault only.</summary>
    public ISshAuthPrompter? Prompter { get; init; }

    /// <summary>TCP connect plus key exchange plus authentication must finish within this (the user's typing time excluded).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The gateway's clock (liveness timers).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public override string ToString() => $"ssh://{Username}@{Host}:{Port}";
}
