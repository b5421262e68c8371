namespace Oriel.Gateway.Ssh;

/// <summary>An SFTP operation failed; <see cref="Exception.Message"/> is a sentence for the user.</summary>
public sealed class SftpFailure : Exception
{
    public SftpFailure(SftpFailureKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public SftpFailure() : this(SftpFailureKind.Failed, "The file operation failed.") { }

    public SftpFailure(string message) : this(SftpFailureKind.Failed, message) { }

    public SftpFailure(string message, Exception inner) : this(SftpFailureKind.Failed, message, inner) { }

    public SftpFailureKind Kind { get; }
}
