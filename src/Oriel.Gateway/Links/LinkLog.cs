using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Links;

/// <summary>Log messages of Web Desktop links (event ids 21xx, in the identity range). Never the token.</summary>
internal static partial class LinkLog
{
    [LoggerMessage(2101, LogLevel.Information, "Link {LinkId} made by {Actor} for {UserName} to {TargetId}, valid until {ExpiresAt}")]
    public static partial void Created(ILogger logger, string linkId, string actor, string userName, string targetId, DateTimeOffset expiresAt);

    [LoggerMessage(2102, LogLevel.Information, "Link {LinkId} opened by {UserName} from {ClientIp}")]
    public static partial void Used(ILogger logger, string linkId, string userName, string? clientIp);

    [LoggerMessage(2103, LogLevel.Warning, "Link refused from {ClientIp}: {Reason}")]
    public static partial void Refused(ILogger logger, string? clientIp, string reason);

    [LoggerMessage(2104, LogLevel.Warning, "Refused a link for {UserName} asked with that account's own API key {KeyId} from {ClientIp}: keys never open desktop sessions")]
    public static partial void OwnAccountRefused(ILogger logger, string keyId, string userName, string? clientIp);
}
