namespace Oriel.Gateway.Ssh;

/// <summary>One round of prompts from the server (RFC 4256 3.2), or the gateway's own "password:" question.</summary>
/// <param name="Name">The request's name (may be empty).</param>
/// <param name="Instruction">The request's instruction (may be empty).</param>
/// <param name="Questions">The prompts, in order; zero prompts is allowed (the server only shows an instruction).</param>
public sealed record SshAuthPrompt(string Name, string Instruction, IReadOnlyList<SshAuthQuestion> Questions);
