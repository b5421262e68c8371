namespace Oriel.Gateway.Ssh;

/// <summary>One prompt: its text, and whether the answer may be shown as it is typed.</summary>
public sealed record SshAuthQuestion(string Text, bool Echo);
