using Oriel.Gateway.Ssh;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>A prompter that answers every question with the same answer (null: the user cancels), and keeps what it was asked.</summary>
internal sealed class ScriptedPrompter(string? answer) : ISshAuthPrompter
{
    private readonly List<SshAuthPrompt> _asked = [];

    public IReadOnlyList<SshAuthPrompt> Asked
    {
        get
        {
            lock (_asked) return [.. _asked];
        }
    }

    public ValueTask<IReadOnlyList<string>?> AskAsync(SshAuthPrompt prompt, CancellationToken ct)
    {
        lock (_asked) _asked.Add(prompt);
        if (answer is null) return ValueTask.FromResult<IReadOnlyList<string>?>(null);
        return ValueTask.FromResult<IReadOnlyList<string>?>(prompt.Questions.Select(_ => answer).ToList());
    }
}
