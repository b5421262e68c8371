namespace Oriel.Gateway.Ssh;

/// <summary>Audit event kinds of SSH sessions and their file panel.</summary>
public static class SshAuditKinds
{
    /// <summary>A first-use host key was recorded as the target's pin (details: algorithm, fingerprint).</summary>
    public const string HostKeyPinned = "ssh.hostkey.pinned";

    /// <summary>A server presented a key that is not the target's pin; the connection was refused (details: presented, pinned).</summary>
    public const string HostKeyMismatch = "ssh.hostkey.mismatch";

    /// <summary>Authentication to the target failed (details: methods tried; never the secrets).</summary>
    public const string AuthFailed = "ssh.auth.failed";

    /// <summary>A file panel operation (details: op = list|download|upload|mkdir|rename|delete, path, size, ok, error).</summary>
    public const string FileOperation = "ssh.file";
}
