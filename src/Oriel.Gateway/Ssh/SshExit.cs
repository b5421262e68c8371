namespace Oriel.Gateway.Ssh;

/// <summary>How a remote program ended: an exit status, or a signal (name without "SIG") with its core-dump flag and message.</summary>
public sealed record SshExit(int? Status, string? Signal, bool CoreDumped, string? Message)
{
    /// <summary>A sentence for the user: "The remote shell exited with status 0." / "... was ended by signal KILL."</summary>
    public string Describe() => Signal is not null
        ? $"The remote shell was ended by signal {Signal}{(CoreDumped ? " (core dumped)" : "")}{(string.IsNullOrEmpty(Message) ? "" : ": " + Message)}."
        : $"The remote shell exited with status {Status ?? 0}.";
}
