using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Audit;

/// <summary>Log messages of the audit log itself (event ids 1101-1109, in the host range).</summary>
internal static partial class AuditLogMessages
{
    [LoggerMessage(1101, LogLevel.Warning, "Refused {Count} more requests ({Kind}, {Reason}) from {ClientIp}; summarised in one audit event")]
    public static partial void RefusalsSummarised(ILogger logger, long count, string kind, string reason, string? clientIp);

    [LoggerMessage(1102, LogLevel.Error, "Writing the summaries of refused requests to the audit log failed")]
    public static partial void SummaryFailed(ILogger logger, Exception exception);
}
