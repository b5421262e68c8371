using Microsoft.Extensions.Logging;

namespace Oriel.Gateway;

/// <summary>
/// All gateway log messages, source-generated, with stable event ids (1xxx host, 2xxx identity, 3xxx access and
/// targets, 4xxx HTTP). Never pass passwords, keys, session ids, keystrokes or clipboard contents.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Database {Path} at schema version {Version}")]
    public static partial void DatabaseReady(ILogger logger, string path, int version);

    [LoggerMessage(1002, LogLevel.Information, "Applied configuration file {Path}: {Targets} targets, {Roles} roles, {Users} users")]
    public static partial void ConfigApplied(ILogger logger, string path, int targets, int roles, int users);

    [LoggerMessage(1003, LogLevel.Warning, "First start: created administrator {UserName} with a one-time password")]
    public static partial void FirstRunAdminCreated(ILogger logger, string userName);

    [LoggerMessage(1004, LogLevel.Information, "Serving the web client from {Path}")]
    public static partial void WebRootFound(ILogger logger, string path);

    [LoggerMessage(1005, LogLevel.Warning, "No web client found (looked for web/dist); only the API is served. Use --web-root to point at a build.")]
    public static partial void WebRootMissing(ILogger logger);

    [LoggerMessage(1006, LogLevel.Warning, "Background maintenance failed")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(1007, LogLevel.Information, "Oriel listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(2001, LogLevel.Information, "User {UserName} signed in from {ClientIp}")]
    public static partial void SignedIn(ILogger logger, string userName, string? clientIp);

    [LoggerMessage(2002, LogLevel.Information, "Failed sign-in from {ClientIp}")]
    public static partial void SignInFailed(ILogger logger, string? clientIp);

    [LoggerMessage(2003, LogLevel.Warning, "Throttled sign-in from {ClientIp}")]
    public static partial void SignInThrottled(ILogger logger, string? clientIp);

    [LoggerMessage(2004, LogLevel.Information, "Upgraded the password hash of {UserName}")]
    public static partial void PasswordRehashed(ILogger logger, string userName);

    [LoggerMessage(2005, LogLevel.Warning, "Rejected {Method} {Path}: {Reason}")]
    public static partial void CsrfRejected(ILogger logger, string method, string path, string reason);

    [LoggerMessage(3001, LogLevel.Error, "The stored password of target {TargetId} could not be decrypted (wrong secret.key, or tampered)")]
    public static partial void TargetSecretUnreadable(ILogger logger, string targetId);

    [LoggerMessage(3002, LogLevel.Information, "Session to {TargetId} denied for {UserName}: {Reason}")]
    public static partial void SessionDenied(ILogger logger, string targetId, string userName, string reason);
}
