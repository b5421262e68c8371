using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// Log messages of the SSH file panel (event ids 3530-3549). Target ids, user names, operation names and sentences;
/// never credentials, and never file contents. Paths are in the audit log (<see cref="SshAuditKinds.FileOperation"/>).
/// </summary>
internal static partial class SshFileLog
{
    [LoggerMessage(3530, LogLevel.Information, "File panel: SFTP connected to target {TargetId} for {UserName}")]
    public static partial void Connected(ILogger logger, string targetId, string userName);

    [LoggerMessage(3531, LogLevel.Warning, "File panel: SFTP to target {TargetId} for {UserName} could not connect: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string targetId, string userName, string reason);

    [LoggerMessage(3532, LogLevel.Information, "File panel: SFTP to target {TargetId} for {UserName} closed with its session ({Unfinished} unfinished uploads)")]
    public static partial void Closed(ILogger logger, string targetId, string userName, int unfinished);

    [LoggerMessage(3533, LogLevel.Warning, "File panel: {Operation} on target {TargetId} by {UserName} failed: {Reason}")]
    public static partial void OperationFailed(ILogger logger, string operation, string targetId, string userName, string reason);

    [LoggerMessage(3534, LogLevel.Warning, "File panel: {Operation} on target {TargetId} by {UserName} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string operation, string targetId, string userName, string reason);

    [LoggerMessage(3535, LogLevel.Warning, "File panel: closing SFTP to target {TargetId} failed")]
    public static partial void CloseFailed(ILogger logger, string targetId, Exception exception);

    [LoggerMessage(3536, LogLevel.Error, "File panel: the audit of an unfinished upload on target {TargetId} could not be written")]
    public static partial void AuditFailed(ILogger logger, string targetId, Exception exception);

    [LoggerMessage(3537, LogLevel.Warning, "File panel: download on target {TargetId} by {UserName} ended early after {Sent} of {Size} bytes: {Reason}")]
    public static partial void DownloadCut(ILogger logger, string targetId, string userName, long sent, long size, string reason);
}
