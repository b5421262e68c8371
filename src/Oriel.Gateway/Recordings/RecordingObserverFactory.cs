using Oriel.Gateway.Access;
using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The session recorder's place in the session lifecycle (<see cref="ISessionObserverFactory"/>): for each admitted
/// session, opens its recording as the role's <see cref="Storage.RecordingMode"/> says (<see cref="RecordingService"/>):
/// a rendered desktop session gets a <see cref="TdpRecorder"/> on its TDP stream, a rendered terminal session (its adapter's
/// <see cref="IProtocolAdapter.Medium"/> is <see cref="SessionMedium.Terminal"/>) an <see cref="AsciicastRecorder"/>, a
/// passthrough session the raw stream recorder its relay writes to. Null (not recorded) when the mode is off or a best-effort recording could not be opened; a
/// required recording that cannot be opened refuses the session (<see cref="SessionFailure"/>).
/// </summary>
public sealed class RecordingObserverFactory(RecordingService recordings, ProtocolRegistry protocols) : ISessionObserverFactory
{
    public async ValueTask<ISessionObserver?> OpenAsync(LiveSession live, AccessDecision decision, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(decision);
        var target = decision.Target ?? throw new ArgumentException("an admitted session has a target", nameof(decision));
        if (live.Kind == SessionKinds.Passthrough)
        {
            var raw = await recordings.StartPassthroughAsync(live, target, decision.Permissions, ct).ConfigureAwait(false);
            return raw is null ? null : new PassthroughRecordingObserver(raw);
        }
        if (protocols.Find(live.Protocol)?.Medium == SessionMedium.Terminal)
        {
            var cast = await recordings.StartAsciicastAsync(live, target, decision.Permissions, ct).ConfigureAwait(false);
            return cast is null ? null : new AsciicastRecordingObserver(cast);
        }
        var tdp = await recordings.StartTdpAsync(live, target, decision.Permissions, ct).ConfigureAwait(false);
        return tdp is null ? null : new TdpRecordingObserver(tdp);
    }
}
