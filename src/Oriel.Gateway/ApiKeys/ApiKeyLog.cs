using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.ApiKeys;

/// <summary>Log messages of API keys (event ids 22xx, in the identity range). Never the secret.</summary>
internal static partial class ApiKeyLog
{
    [LoggerMessage(2201, LogLevel.Information, "API key {KeyId} ({Name}) made by {Actor} for {UserName}")]
    public static partial void Created(ILogger logger, string keyId, string name, string actor, string userName);

    [LoggerMessage(2202, LogLevel.Information, "API key {KeyId} ({Name}) revoked by {Actor}")]
    public static partial void Revoked(ILogger logger, string keyId, string name, string actor);

    [LoggerMessage(2203, LogLevel.Warning, "API key refused from {ClientIp}: {Reason}")]
    public static partial void Refused(ILogger logger, string? clientIp, string reason);

    [LoggerMessage(2204, LogLevel.Warning, "Throttled API key from {ClientIp}")]
    public static partial void Throttled(ILogger logger, string? clientIp);

    [LoggerMessage(2205, LogLevel.Warning, "API key refused for {Method} {Path}: keys do not open sessions or pages")]
    public static partial void WrongUse(ILogger logger, string method, string path);
}
