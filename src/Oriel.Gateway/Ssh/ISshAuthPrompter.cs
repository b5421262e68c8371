namespace Oriel.Gateway.Ssh;

/// <summary>
/// Asks the user a server's authentication prompts (keyboard-interactive, RFC 4256; or a password the vault does not
/// hold) in the browser, where the role allows it (<see cref="Access.SessionPermissions.BrowserAuthPrompts"/>).
/// The SSH session implements it in the terminal itself: the prompts are written as terminal output and the answer is
/// read from the terminal input, never echoed when the prompt says so, never recorded and never logged.
/// </summary>
public interface ISshAuthPrompter
{
    /// <summary>Returns one answer per prompt, or null when the user cancelled (Ctrl-C, Ctrl-D) or the session ended.</summary>
    ValueTask<IReadOnlyList<string>?> AskAsync(SshAuthPrompt prompt, CancellationToken ct);
}
