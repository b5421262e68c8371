using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Sessions;

/// <summary>What a protocol adapter gets to make a passthrough session (<see cref="IProtocolAdapter.CreateRelayAsync"/>).</summary>
/// <param name="Live">The session as the broker knows it (id, user, counters, termination).</param>
/// <param name="Target">The target with its decrypted secrets and typed settings.</param>
/// <param name="Permissions">What the user's roles allow in this session (recording mode, ...).</param>
/// <param name="Browser">The accepted WebSocket (owned by the host, which disposes it after the session).</param>
/// <param name="Log">The session's logger.</param>
/// <param name="Time">The gateway's clock.</param>
/// <param name="Timeouts">The session time limits.</param>
/// <param name="Recorder">The raw recording of the relayed stream (opened by the recording observer), or null when the session is not recorded.</param>
public sealed record RelaySessionContext(
    LiveSession Live,
    ResolvedTarget Target,
    SessionPermissions Permissions,
    WebSocket Browser,
    ILogger Log,
    TimeProvider Time,
    SessionTimeouts Timeouts,
    Recordings.PassthroughRecorder? Recorder);
