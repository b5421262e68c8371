namespace Oriel.Gateway.Ssh;

public enum SftpFailureKind
{
    NotFound,
    PermissionDenied,
    AlreadyExists,
    /// <summary>The connection broke, or the server failed otherwise.</summary>
    Failed,
}
