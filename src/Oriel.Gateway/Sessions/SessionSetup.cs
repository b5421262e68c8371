using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;

namespace Oriel.Gateway.Sessions;

/// <summary>What the <see cref="SessionHost"/> hands a <see cref="SessionKind"/> to open one admitted session.</summary>
/// <param name="Live">The admitted session.</param>
/// <param name="Decision">The access decision: the resolved target and the session's permissions.</param>
/// <param name="Protocol">The target protocol's adapter, found by name in the <see cref="ProtocolRegistry"/>.</param>
/// <param name="Socket">The accepted WebSocket (owned by the host).</param>
/// <param name="Observers">The session's observers (the recorder), opened before the session.</param>
/// <param name="Log">The session's logger (category per kind).</param>
/// <param name="Audit">The audit log.</param>
/// <param name="Time">The gateway's clock.</param>
/// <param name="Timeouts">The session time limits.</param>
internal sealed record SessionSetup(
    LiveSession Live,
    AccessDecision Decision,
    IProtocolAdapter Protocol,
    WebSocket Socket,
    IReadOnlyList<ISessionObserver> Observers,
    ILogger Log,
    IAuditLog Audit,
    TimeProvider Time,
    SessionTimeouts Timeouts);
