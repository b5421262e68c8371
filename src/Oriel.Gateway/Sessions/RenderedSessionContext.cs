using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Sessions;

/// <summary>What a protocol adapter gets to make a rendered session (<see cref="IProtocolAdapter.CreateRendered"/>).</summary>
/// <param name="Live">The session as the broker knows it (id, user, counters, termination).</param>
/// <param name="Target">The target with its decrypted secrets and typed settings.</param>
/// <param name="Permissions">What the user's roles allow in this session (clipboard, ...).</param>
/// <param name="Browser">The browser's TDP side, seen through the session's observers when there are any.</param>
/// <param name="Log">The session's logger.</param>
/// <param name="AuditClipboard">Audits a clipboard transfer: session id, direction ("to-target"/"to-browser"), size in bytes; never the contents.</param>
/// <param name="Time">The gateway's clock.</param>
/// <param name="Timeouts">The session time limits.</param>
/// <param name="SurfaceOpened">
/// The protocol calls it once its <see cref="DesktopSurface"/> exists and before the target's first update reaches it,
/// so the session's observers can read the whole screen (a recorder's keyframes, under the session's gate like every send),
/// with a handle on the session's gate for work started from outside its loops (a live view's watchers).
/// </param>
public sealed record RenderedSessionContext(
    LiveSession Live,
    ResolvedTarget Target,
    SessionPermissions Permissions,
    ITdpBrowser Browser,
    ILogger Log,
    Action<string, string, long> AuditClipboard,
    TimeProvider Time,
    SessionTimeouts Timeouts,
    Action<DesktopSurface, SessionGate> SurfaceOpened)
{
    /// <summary>
    /// The protocol calls it with true before reading an answer the user types that must not be kept (a password at a
    /// terminal's prompt) and with false after: every observer hears (<see cref="ISessionObserver.SecretInput"/>).
    /// </summary>
    public Action<bool> SecretInput { get; init; } = _ => { };
}
