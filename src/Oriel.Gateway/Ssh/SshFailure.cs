namespace Oriel.Gateway.Ssh;

/// <summary>An SSH connection or channel failed; <see cref="Exception.Message"/> is a sentence for the user (no secrets, no server paths).</summary>
public sealed class SshFailure : Exception
{
    public SshFailure(SshFailureKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public SshFailure() : this(SshFailureKind.ProtocolError, "The SSH connection failed.") { }

    public SshFailure(string message) : this(SshFailureKind.ProtocolError, message) { }

    public SshFailure(string message, Exception inner) : this(SshFailureKind.ProtocolError, message, inner) { }

    public SshFailureKind Kind { get; }

    /// <summary>For <see cref="SshFailureKind.HostKeyRefused"/>: the key the server presented.</summary>
    public SshHostKey? PresentedHostKey { get; init; }
}
