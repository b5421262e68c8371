using Oriel.Gateway.Storage;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>What the tests' SSH target is at the moment: where its sshd listens, the login and the vault's secrets, and the role's permissions.</summary>
internal sealed record SshSessionTarget(string Host, int Port, string Username)
{
    public string? Password { get; init; }

    public string? PrivateKey { get; init; }

    public string? PrivateKeyPassphrase { get; init; }

    public bool TrustOnFirstUse { get; init; } = true;

    public string TerminalType { get; init; } = SshTargetSettings.DefaultTerminalType;

    public bool BrowserAuthPrompts { get; init; }

    public bool FileDownload { get; init; } = true;

    public bool FileUpload { get; init; }

    /// <summary>The role's recording mode for the target (off unless a test records).</summary>
    public RecordingMode Recording { get; init; } = RecordingMode.Off;

    /// <summary>How much typed input a recording keeps.</summary>
    public InputRecording RecordInput { get; init; } = InputRecording.Redacted;
}
