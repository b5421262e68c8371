using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Sessions;

/// <summary>Opens the TCP connection to a target for any kind of session, with one timeout and one message for failure.</summary>
internal static partial class TargetConnector
{
    /// <summary>
    /// Connects within <see cref="SessionTimeouts.TargetConnect"/>, or throws <see cref="SessionFailure"/>
    /// (target unreachable) with a sentence for the user.
    /// </summary>
    public static async Task<TcpClient> ConnectAsync(ResolvedTarget target, SessionTimeouts timeouts, TimeProvider time, ILogger log, string sessionId, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var timeout = new TimeLimit(timeouts.TargetConnect, time, ct);
        try
        {
            await tcp.ConnectAsync(target.Host, target.Port, timeout.Token).ConfigureAwait(false);
            return tcp;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            tcp.Dispose();
            Log.TargetUnreachable(log, sessionId, target.Id, ex.Message);
            throw new SessionFailure(SessionEndReason.TargetUnreachable,
                $"The desktop server could not be reached ({(ex is SocketException se ? se.SocketErrorCode.ToString() : "timed out")}). It may be down or not listening.", ex);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Session {SessionId}: target {TargetId} unreachable: {Error}")]
        public static partial void TargetUnreachable(ILogger logger, string sessionId, string targetId, string error);
    }
}
